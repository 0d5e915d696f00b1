package dev.infinitemap.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;

/**
 * What a viewer's viewport of 200 × 100 cells costs on a map of 1,000,000 cells in three
 * layers (ground everywhere, a cover over every other cell, a top layer over one in ten): as the
 * map shows, and without the cover (a legend checkbox), where each covered cell looks through the
 * layers again. And a zoomed-out overview of the whole map, the slippy tiles' read, both ways.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xmx2g" })
public class HiddenViewBenchmark {

    static final Set<String> COVER = Set.of("cover");

    LayeredMap map;

    @Setup
    public void fill() {
        map = new LayeredMap();
        long sequence = 0;
        for (int row = 0; row < 1000; row++) {
            List<Tile> ground = new ArrayList<>(1000);
            List<Tile> cover = new ArrayList<>(500);
            List<Tile> top = new ArrayList<>(100);
            for (int x = 0; x < 1000; x++) {
                ground.add(new Tile(x, row, "ground.png", 1));
                if ((x + row) % 2 == 0) {
                    cover.add(new Tile(x, row, "cover.png", 1));
                }
                if (x % 10 == row % 10) {
                    top.add(new Tile(x, row, "top.png", 1));
                }
            }
            sequence++;
            map.apply(new TileDelta("ground", 0, sequence, ground, new long[0]));
            map.apply(new TileDelta("cover", 1, sequence, cover, new long[0]));
            map.apply(new TileDelta("top", 2, sequence, top, new long[0]));
        }
    }

    @Benchmark
    public Object viewportAsShown() {
        return map.tiles(400, 450, 599, 549, Set.of());
    }

    @Benchmark
    public Object viewportWithoutTheCover() {
        return map.tiles(400, 450, 599, 549, COVER);
    }

    @Benchmark
    public Object overviewAsShown() {
        return map.overview(0, 0, 999, 999, 4, Set.of());
    }

    @Benchmark
    public Object overviewWithoutTheCover() {
        return map.overview(0, 0, 999, 999, 4, COVER);
    }
}
