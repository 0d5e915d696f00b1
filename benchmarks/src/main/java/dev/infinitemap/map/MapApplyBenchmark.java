package dev.infinitemap.map;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;

/**
 * Tile changes applied to the layered map per second: deltas of 1,000 tiles from three
 * compositors on two layers, over a 1,000 x 1,000 area, so cells are covered, revealed and
 * replaced. Each operation is one tile change.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = { "-Xmx2g" })
public class MapApplyBenchmark {

    static final int TILES_PER_DELTA = 1000;
    static final String[] COMPOSITORS = { "terrain", "roads", "overlay" };
    static final int[] LAYERS = { 0, 0, 5 };

    LayeredMap map;
    List<List<Tile>> batches;
    long[] sequences;
    int next;

    @Setup
    public void fill() {
        map = new LayeredMap();
        sequences = new long[COMPOSITORS.length];
        batches = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int b = 0; b < 512; b++) {
            List<Tile> tiles = new ArrayList<>(TILES_PER_DELTA);
            for (int i = 0; i < TILES_PER_DELTA; i++) {
                tiles.add(new Tile(random.nextInt(1000), random.nextInt(1000), "b" + random.nextInt(16) + ".png", b));
            }
            batches.add(tiles);
        }
    }

    @Benchmark
    @OperationsPerInvocation(TILES_PER_DELTA)
    public Object applyADeltaOfAThousandTiles() {
        int c = next % COMPOSITORS.length;
        List<Tile> tiles = batches.get(next++ & 511);
        return map.apply(new TileDelta(COMPOSITORS[c], LAYERS[c], ++sequences[c], tiles, new long[0]));
    }
}
