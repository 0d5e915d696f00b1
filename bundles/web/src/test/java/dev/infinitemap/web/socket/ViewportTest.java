package dev.infinitemap.web.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.PlacedTile;

class ViewportTest {

    private final Viewport view = new Viewport(0, 0, 9, 9);

    @Test
    void parsesFourWholeNumbersAndRefusesAnythingElseWithTheReason() {
        assertEquals(new Viewport(-2147483648, -5, -2147483600, -5), Viewport.parse("-2147483648,-5,-2147483600,-5"));
        assertEquals(new Viewport(2147483600, 7, 2147483647, 8), Viewport.parse(" 2147483600, 7,2147483647 ,8"));
        for (String bad : List.of("1,2,3", "1,2,3,4,5", "a,b,c,d", "0,0,2147483648,0", "", "0.5,0,1,1")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Viewport.parse(bad), bad);
            assertTrue(refused.getMessage().contains("viewport"), refused.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Viewport.parse("5,0,4,0"), "x0 > x1");
        // 1,000,000 cells pass; one row more does not. The width of the whole plane does not overflow.
        assertEquals(new Viewport(0, 0, 999, 999), Viewport.parse("0,0,999,999"));
        assertThrows(IllegalArgumentException.class, () -> Viewport.parse("0,0,999,1000"));
        assertThrows(IllegalArgumentException.class, () -> Viewport.parse("-2147483648,0,2147483647,0"));
    }

    @Test
    void theChangeInsideKeepsExactlyTheCellsInsideAndAChangeAllInsideIsItself() {
        MapChange mixed = change(List.of(placed(0, 0), placed(10, 0), placed(9, 9)), CellKey.pack(5, 5), CellKey.pack(-1, 5));
        MapChange inside = view.within(mixed, Viewport.Bounds.of(mixed, false));
        assertEquals(List.of(placed(0, 0), placed(9, 9)), inside.put());
        assertEquals(1, inside.removedCellCount());
        assertEquals(CellKey.pack(5, 5), inside.removedCells()[0]);
        assertEquals(mixed.revision(), inside.revision());

        MapChange whole = change(List.of(placed(3, 3)), CellKey.pack(4, 4));
        assertSame(whole, view.within(whole, Viewport.Bounds.of(whole, false)));
        MapChange outside = change(List.of(placed(10, 10)), CellKey.pack(-1, -1));
        assertNull(view.within(outside, Viewport.Bounds.of(outside, false)));
        // A change whose box overlaps the view but whose cells all miss it.
        MapChange around = change(List.of(placed(-1, 5), placed(10, 5)));
        assertNull(view.within(around, Viewport.Bounds.of(around, false)));
    }

    @Test
    void theBoundsOfAChangeSpanItsPutAndRemovedCellsAndTellWhetherTheViewCoversIt() {
        MapChange change = change(List.of(placed(2, 7), placed(-3, 1)), CellKey.pack(4, -2));
        assertEquals(new Viewport.Bounds(-3, -2, 4, 7), Viewport.Bounds.of(change, false));
        assertFalse(view.covers(Viewport.Bounds.of(change, false)));
        assertTrue(view.covers(Viewport.Bounds.of(change(List.of(placed(0, 0), placed(9, 9))), false)));
        assertNull(Viewport.Bounds.of(change(List.of()), false), "an empty change has no box");
        assertTrue(view.covers(null), "nor anything outside");
    }

    @Test
    void aViewportThatHidesACompositorIsSentEachCellOfAChangeInsideAsTheMapShowsWithoutIt() {
        Viewport hiding = new Viewport(0, 0, 9, 9).hiding("roads, ,rails");
        assertEquals(java.util.Set.of("roads", "rails"), hiding.hidden());
        // Below "roads" at 1,1 the terrain changed; at 2,2 the terrain went, leaving only roads; 3,3
        // got a terrain tile on top; 20,20 is outside.
        MapChange change = new MapChange(7, "terrain", List.of(placed(3, 3)), new long[0],
                new long[] { CellKey.pack(1, 1), CellKey.pack(2, 2), CellKey.pack(20, 20) });
        List<String> reads = new java.util.ArrayList<>();
        Viewport.ShownWithout map = (x0, y0, x1, y1, hidden) -> {
            reads.add(x0 + "," + y0 + "," + x1 + "," + y1 + " without " + new java.util.TreeSet<>(hidden));
            return List.of(new PlacedTile(new Tile(1, 1, "sand.png", 2), "terrain", 0), placed(3, 3), placed(4, 4));
        };
        MapChange seen = hiding.seenWithout(change, Viewport.Bounds.of(change, true), map);

        assertEquals(List.of("1,1,9,9 without [rails, roads]"), reads, "one read of the change's box inside the viewport");
        assertEquals(7, seen.revision());
        assertEquals(List.of(new PlacedTile(new Tile(1, 1, "sand.png", 2), "terrain", 0), placed(3, 3)), seen.put(),
                "the cells of the change that show a tile without the hidden ones; 4,4 was not in the change");
        assertArrayEquals(new long[] { CellKey.pack(2, 2) }, seen.removedCells(), "where nothing shows without them");

        MapChange byHidden = new MapChange(8, "roads", List.of(placed(5, 5)), new long[0]);
        assertNull(hiding.seenWithout(byHidden, Viewport.Bounds.of(byHidden, true), map), "a hidden compositor's change shows nothing");
        MapChange outside = new MapChange(9, "terrain", List.of(), new long[0], new long[] { CellKey.pack(20, 20) });
        assertNull(hiding.seenWithout(outside, Viewport.Bounds.of(outside, true), map));
        assertEquals(new Viewport.Bounds(20, 20, 20, 20), Viewport.Bounds.of(outside, true));
        assertNull(Viewport.Bounds.of(outside, false), "for a viewport that hides nothing it changed nothing");
        assertEquals(1, reads.size());
    }

    @Test
    void aChangeFarApartInABigHidingViewportIsReadCellByCellAndOneThatIsBigEverywhereSendsTheViewportAgain() {
        Viewport wide = new Viewport(0, 0, 999, 999).hiding("roads");
        MapChange corners = new MapChange(3, "terrain", List.of(placed(0, 0), placed(999, 999)), new long[0]);
        assertTrue(wide.cheapToSee(corners, Viewport.Bounds.of(corners, true)));
        List<String> reads = new java.util.ArrayList<>();
        MapChange seen = wide.seenWithout(corners, Viewport.Bounds.of(corners, true), (x0, y0, x1, y1, hidden) -> {
            reads.add(x0 + "," + y0 + "," + x1 + "," + y1);
            return List.of(placed(x0, y0));
        });
        assertEquals(java.util.Set.of("0,0,0,0", "999,999,999,999"), new java.util.HashSet<>(reads), "two cells, not the million between");
        assertEquals(2, seen.put().size());

        List<PlacedTile> many = new java.util.ArrayList<>();
        for (int i = 0; i <= Viewport.MAX_CELL_READS; i++) {
            many.add(placed(i % 1000, i / 1000 * 999));
        }
        MapChange scattered = new MapChange(4, "terrain", many, new long[0]);
        assertFalse(wide.cheapToSee(scattered, Viewport.Bounds.of(scattered, true)), "too much for the fan-out thread");
        MapChange byHidden = new MapChange(5, "roads", many, new long[0]);
        assertTrue(wide.cheapToSee(byHidden, Viewport.Bounds.of(byHidden, true)), "a hidden compositor's change costs nothing");
        assertTrue(new Viewport(0, 0, 255, 255).hiding("roads").cheapToSee(scattered, Viewport.Bounds.of(scattered, true)),
                "a viewport of 65,536 cells is read whole");
    }

    private static PlacedTile placed(int x, int y) {
        return new PlacedTile(new Tile(x, y, "b.png", 1), "c", 0);
    }

    private static MapChange change(List<PlacedTile> put, long... removed) {
        return new MapChange(42, "c", put, removed);
    }
}
