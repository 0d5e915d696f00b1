package dev.infinitemap.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TileDeltaTest {

    @Test
    void aDeltaIsImmutableAfterConstruction() {
        List<Tile> upserts = new ArrayList<>(List.of(new Tile(1, 2, "a.png", 1)));
        long[] removals = { CellKey.pack(3, 4) };
        TileDelta delta = new TileDelta("terrain", 10, 1, upserts, removals);

        upserts.clear();
        removals[0] = 0;
        delta.removedCells()[0] = 99;

        assertEquals(1, delta.upserts().size());
        assertArrayEquals(new long[] { CellKey.pack(3, 4) }, delta.removedCells());
        assertThrows(UnsupportedOperationException.class, () -> delta.upserts().add(new Tile(0, 0, "b.png", 0)));
    }

    @Test
    void sequencesStartAtOne() {
        assertThrows(IllegalArgumentException.class, () -> new TileDelta("terrain", 0, 0, List.of(), new long[0]));
    }

    @Test
    void equalDeltasAreEqual() {
        TileDelta a = new TileDelta("t", 0, 2, List.of(new Tile(1, 1, "a.png", 1)), new long[] { 5 });
        TileDelta b = new TileDelta("t", 0, 2, List.of(new Tile(1, 1, "a.png", 1)), new long[] { 5 });
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertTrue(new TileDelta("t", 0, 3, List.of(), new long[0]).isEmpty());
    }
}
