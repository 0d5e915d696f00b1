package dev.infinitemap.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.PlacedTile;

class LayeredMapTest {

    private final LayeredMap map = new LayeredMap();

    @Test
    void eachAppliedDeltaGetsTheNextRevisionAndReportsItsCells() {
        MapChange first = map.apply(delta("terrain", 0, 1, List.of(tile(0, 0, "grass.png", 1), tile(1, 0, "road.png", 1))));
        MapChange second = map.apply(new TileDelta("terrain", 0, 2, List.of(), new long[] { CellKey.pack(1, 0) }));

        assertEquals(1, first.revision());
        assertEquals(2, first.put().size());
        assertEquals(2, second.revision());
        assertArrayEquals(new long[] { CellKey.pack(1, 0) }, second.removedCells());
        assertEquals(1, map.tileCount());
    }

    @Test
    void aHigherLayerCoversALowerOneAndRemovingItRevealsTheLowerTile() {
        map.apply(delta("terrain", 0, 1, List.of(tile(5, 5, "grass.png", 100))));
        MapChange covered = map.apply(delta("roads", 10, 1, List.of(tile(5, 5, "road.png", 1))));
        assertEquals("road.png", covered.put().get(0).tile().brick());

        MapChange revealed = map.apply(new TileDelta("roads", 10, 2, List.of(), new long[] { CellKey.pack(5, 5) }));
        assertEquals(0, revealed.removedCellCount(), "the cell is not empty: the lower tile shows again");
        assertEquals("grass.png", revealed.put().get(0).tile().brick());
        assertEquals("terrain", map.tile(CellKey.pack(5, 5)).compositor());
    }

    @Test
    void aChangeUnderACoveringTileChangesNothingVisibleButStillTakesARevision() {
        map.apply(delta("roads", 10, 1, List.of(tile(1, 1, "road.png", 1))));
        MapChange hidden = map.apply(delta("terrain", 0, 1, List.of(tile(1, 1, "grass.png", 1))));
        assertEquals(2, hidden.revision());
        assertTrue(hidden.put().isEmpty());
        assertEquals(0, hidden.removedCellCount());
    }

    @Test
    void onTheSameLayerTheMostRecentTimestampWinsWhateverTheArrivalOrder() {
        map.apply(delta("b", 3, 1, List.of(tile(0, 0, "new.png", 200))));
        map.apply(delta("a", 3, 1, List.of(tile(0, 0, "old.png", 100))));
        assertEquals("new.png", map.tile(0).tile().brick());
    }

    @Test
    void aDeltaAppliedTwiceChangesTheMapOnce() {
        TileDelta delta = delta("terrain", 0, 1, List.of(tile(0, 0, "grass.png", 1)));
        assertEquals(1, map.apply(delta).revision());
        assertNull(map.apply(delta), "the duplicate is skipped");
        map.apply(new TileDelta("terrain", 0, 2, List.of(), new long[] { 0 }));
        assertNull(map.apply(delta), "a late duplicate cannot bring a removed tile back");
        assertEquals(0, map.tileCount());
        assertEquals(2, map.revision());
    }

    @Test
    void aCompositorThatChangesLayerMovesAllItsTiles() {
        map.apply(delta("terrain", 0, 1, List.of(tile(0, 0, "grass.png", 1), tile(1, 0, "grass.png", 1))));
        map.apply(delta("roads", 5, 1, List.of(tile(0, 0, "road.png", 1))));
        MapChange moved = map.apply(delta("terrain", 9, 2, List.of(tile(2, 0, "grass.png", 1))));
        PlacedTile top = map.tile(CellKey.pack(0, 0));
        assertEquals("terrain", top.compositor());
        assertEquals(9, top.layer());
        assertTrue(moved.put().stream().anyMatch(t -> t.tile().x() == 2));
    }

    @Test
    void aRectangleQueryReturnsExactlyTheCellsInside() {
        map.apply(delta("t", 0, 1, List.of(tile(-1, -1, "a.png", 1), tile(0, 0, "a.png", 1), tile(3, 3, "a.png", 1),
                tile(Integer.MAX_VALUE, Integer.MIN_VALUE, "edge.png", 1))));
        assertEquals(2, map.tiles(-1, -1, 2, 2).size());
        assertEquals(1, map.tiles(Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE).size());
        assertEquals(4, map.tiles(Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE).size());
    }

    private static TileDelta delta(String compositor, int layer, long sequence, List<Tile> put) {
        return new TileDelta(compositor, layer, sequence, put, new long[0]);
    }

    private static Tile tile(int x, int y, String brick, double timestamp) {
        return new Tile(x, y, brick, timestamp);
    }
}
