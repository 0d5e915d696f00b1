package dev.infinitemap.daemon.manifest;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.infinitemap.daemon.delta.TileSet;

/**
 * Parse, validate and diff a whole manifest, as the daemon does for each change of a file.
 * Runs in a JVM limited to 512 MB of heap: the 1M-tile case passing at all is the proof of
 * the heap target.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = { "-Xmx512m", "-Xms512m" })
public class ManifestBenchmark {

    @Param({ "100000", "1000000" })
    int tiles;

    byte[] manifest;
    byte[] oneTileEdited;
    TileSet previous;

    @Setup
    public void write() throws Exception {
        manifest = json(tiles, -1);
        oneTileEdited = json(tiles, tiles / 2);
        previous = new ManifestReader(1_000_000).read(new ByteArrayInputStream(manifest)).tiles();
    }

    /** A new file: everything is added. */
    @Benchmark
    public TileSet.Diff parseValidateAndDiffAgainstNothing() throws Exception {
        TileSet next = new ManifestReader(1_000_000).read(new ByteArrayInputStream(manifest)).tiles();
        return TileSet.diff(TileSet.EMPTY, next);
    }

    /** The same file with one tile changed: the delta is that one tile. */
    @Benchmark
    public TileSet.Diff parseValidateAndDiffAOneTileEdit() throws Exception {
        TileSet next = new ManifestReader(1_000_000).read(new ByteArrayInputStream(oneTileEdited)).tiles();
        TileSet.Diff diff = TileSet.diff(previous, next);
        if (diff.put().size() != 1 || diff.removed().length != 0) {
            throw new IllegalStateException("a one-tile edit gave " + diff.put().size() + " put, " + diff.removed().length + " removed");
        }
        return diff;
    }

    /** A square of tiles in the shared format; the tile at {@code edited} gets another brick. */
    static byte[] json(int count, int edited) {
        int side = (int) Math.ceil(Math.sqrt(count));
        StringBuilder out = new StringBuilder(count * 56).append('{');
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : ",").append("\n\"").append(i % side - side / 2).append(',').append(i / side - side / 2)
                    .append("\":{\"brick\":\"").append(i == edited ? "edited.png" : (i % 7 == 0 ? "road.png" : "grass.png"))
                    .append("\",\"timestamp\":1732400000.25}");
        }
        return out.append("\n}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
