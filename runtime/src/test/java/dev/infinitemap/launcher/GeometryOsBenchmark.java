package dev.infinitemap.launcher;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Geometry OS clients on the legacy listener: an old-style writer (the whole manifest rewritten in
 * place for every tile, as the old compositor did) measured from each write to the old client's
 * socket, and a 60,000-cell manifest dropped and deleted, to all cells on (and off) the old
 * client. Run with
 * {@code mvn -B -q install -DskipTests && mvn -B -q -pl runtime exec:java -Dbenchmark=GeometryOsBenchmark [-Dtiles=200] [-Drate=10]}.
 */
public final class GeometryOsBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private GeometryOsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tiles = Integer.getInteger("tiles", 200);
        int rate = Integer.getInteger("rate", 10);
        Path work = Files.createTempDirectory("infinitemap-geometry-bench");
        int legacyPort = RuntimeProcess.freePort();
        try (RuntimeProcess runtime = new RuntimeProcess(work)) {
            runtime.env("INFINITEMAP_ADMIN_PASSWORD", "benchmark-password").env("INFINITEMAP_LEGACY_PORT", String.valueOf(legacyPort)).start();
            try (OldGeometryClient client = new OldGeometryClient(legacyPort)) {
                RuntimeProcess.awaitCondition("the old client connected", TIMEOUT, client::connected);
                writer(runtime, client, tiles, rate);
                bigChange(runtime, client, 60_000);
            }
        }
    }

    private static void writer(RuntimeProcess runtime, OldGeometryClient client, int tiles, int rate) throws Exception {
        Path file = runtime.home.resolve("deploy/old-writer.manifest.json");
        long[] written = new long[tiles];
        StringBuilder content = new StringBuilder();
        long start = System.nanoTime();
        long period = 1_000_000_000L / rate;
        for (int i = 0; i < tiles; i++) {
            long due = start + i * period;
            while (System.nanoTime() < due) {
                Thread.sleep(1); // pacing the writer, not waiting for the runtime
            }
            content.append(i == 0 ? "" : ",").append("\"").append(i).append(",30000\":{\"brick\":\"w.png\",\"timestamp\":")
                    .append(System.currentTimeMillis() / 1000.0).append('}');
            written[i] = System.nanoTime();
            Files.writeString(file, "{" + content + "}", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        }
        RuntimeProcess.awaitCondition("every tile of the writer on the old client", TIMEOUT, () -> {
            for (int i = 0; i < tiles; i++) {
                if (client.brickAt(i, 30000) == null) {
                    return false;
                }
            }
            return true;
        });
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < tiles; i++) {
            millis.add((client.cells.get(i + ",30000").atNanos() - written[i]) / 1e6);
        }
        Files.delete(file);
        Collections.sort(millis);
        System.out.println("| old-style writer | tiles | rewrites/s | write to old client: median | p90 | p99 | max (ms) |");
        System.out.println("|---|---|---|---|---|---|---|");
        System.out.println(String.format(Locale.ROOT, "| whole manifest in place per tile | %d | %d | %.0f | %.0f | %.0f | %.0f |", tiles, rate,
                at(millis, 0.5), at(millis, 0.9), at(millis, 0.99), millis.get(millis.size() - 1)));
    }

    private static void bigChange(RuntimeProcess runtime, OldGeometryClient client, int cells) throws Exception {
        int before = client.tileUpdates.get();
        long dropped = System.nanoTime();
        runtime.deploy("old-big.manifest.json", TestManifests.row(0, cells, 30001, "big.png"));
        RuntimeProcess.awaitCondition("all cells on the old client", TIMEOUT, () -> client.tileUpdates.get() - before >= cells);
        double on = (System.nanoTime() - dropped) / 1e6;
        long deleted = System.nanoTime();
        Files.delete(runtime.home.resolve("deploy/old-big.manifest.json"));
        RuntimeProcess.awaitCondition("all cells cleared on the old client", TIMEOUT, () -> client.tileUpdates.get() - before >= 2 * cells);
        double off = (System.nanoTime() - deleted) / 1e6;
        System.out.println();
        System.out.println("| change | cells | to the old client, every cell (ms) | messages of other kinds |");
        System.out.println("|---|---|---|---|");
        System.out.println(String.format(Locale.ROOT, "| manifest dropped | %d | %.0f | %d |", cells, on, client.unknown.size()));
        System.out.println(String.format(Locale.ROOT, "| manifest deleted (transparent tile_updates) | %d | %.0f | %d |", cells, off, client.unknown.size()));
    }

    private static double at(List<Double> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(quantile * sorted.size())));
    }
}
