package dev.infinitemap.map;

import java.util.ArrayList;
import java.util.List;
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
 * The legend of a map of 1,000,000 tiles in one layer beside a ticking clock's layer, as
 * {@code /infinitemap/api/layers} asks for it: after a tick (only the clock's summary is counted
 * again) and after a one-tile change of the big layer (all of it is counted again, which every
 * call cost before summaries were kept). Each operation is one delta and one legend.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xmx2g" })
public class LegendBenchmark {

    LayeredMap map;
    long bigSequence;
    long tickSequence;

    @Setup
    public void fill() {
        map = new LayeredMap();
        for (int row = 0; row < 1000; row++) {
            List<Tile> tiles = new ArrayList<>(1000);
            for (int x = 0; x < 1000; x++) {
                tiles.add(new Tile(x, row, (x + row) % 3 == 0 ? "b.png" : "a.png", 1));
            }
            map.apply(new TileDelta("big", 0, ++bigSequence, tiles, new long[0]));
        }
    }

    @Benchmark
    public Object legendAfterATick() {
        map.apply(new TileDelta("clock", 5, ++tickSequence, List.of(new Tile(0, -5, "digit-" + (tickSequence % 10) + ".png", tickSequence)), new long[0]));
        return map.layers(3);
    }

    @Benchmark
    public Object legendAfterAChangeOfTheBigLayer() {
        map.apply(new TileDelta("big", 0, ++bigSequence, List.of(new Tile(7, 7, bigSequence % 2 == 0 ? "a.png" : "c.png", bigSequence)), new long[0]));
        return map.layers(3);
    }
}
