package dev.infinitemap.launcher;

import java.nio.charset.StandardCharsets;

/** Builds the tile manifests the end-to-end tests and benchmarks drop into deploy/. */
final class TestManifests {

    private TestManifests() {
    }

    /** A manifest of {@code count} cells in a row from {@code x = from} on line {@code y}, all one brick. */
    static byte[] row(int from, int count, int y, String brick) {
        StringBuilder out = new StringBuilder("{");
        for (int x = from; x < from + count; x++) {
            out.append(x == from ? "" : ",").append('"').append(x).append(',').append(y)
                    .append("\":{\"brick\":\"").append(brick).append("\",\"timestamp\":1}");
        }
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
}
