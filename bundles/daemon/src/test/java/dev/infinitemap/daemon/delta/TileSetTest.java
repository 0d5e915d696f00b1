package dev.infinitemap.daemon.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;

class TileSetTest {

    @Test
    void theDiffHasExactlyTheAddedChangedAndRemovedCells() {
        TileSet before = TileSet.of(List.of(t(0, 0, "a.png", 1), t(1, 0, "a.png", 1), t(2, 0, "a.png", 1), t(3, 0, "a.png", 1)));
        TileSet after = TileSet.of(List.of(t(0, 0, "a.png", 1), t(1, 0, "b.png", 1), t(2, 0, "a.png", 2), t(9, 9, "n.png", 1)));

        TileSet.Diff diff = TileSet.diff(before, after);

        assertEquals(List.of(t(1, 0, "b.png", 1), t(2, 0, "a.png", 2), t(9, 9, "n.png", 1)), diff.put());
        assertArrayEquals(new long[] { CellKey.pack(3, 0) }, diff.removed());
    }

    @Test
    void aOneTileEditOfALargeSetIsAOneTileDiff() {
        List<Tile> tiles = new java.util.ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            tiles.add(t(i % 317, i / 317, "a.png", 1));
        }
        TileSet before = TileSet.of(tiles);
        tiles.set(5_000, t(5_000 % 317, 5_000 / 317, "changed.png", 1));
        TileSet.Diff diff = TileSet.diff(before, TileSet.of(tiles));
        assertEquals(1, diff.put().size());
        assertEquals(0, diff.removed().length);
    }

    @Test
    void fromAndToEmpty() {
        TileSet some = TileSet.of(List.of(t(-5, 5, "a.png", 1)));
        assertEquals(1, TileSet.diff(TileSet.EMPTY, some).put().size());
        assertEquals(1, TileSet.diff(some, TileSet.EMPTY).removed().length);
        assertTrue(TileSet.diff(some, some).isEmpty());
    }

    @Test
    void twoTilesInOneCellAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TileSet.of(List.of(t(1, 1, "a.png", 1), t(1, 1, "b.png", 1))));
    }

    private static Tile t(int x, int y, String brick, double timestamp) {
        return new Tile(x, y, brick, timestamp);
    }
}
