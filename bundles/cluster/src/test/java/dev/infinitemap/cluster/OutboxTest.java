package dev.infinitemap.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;

class OutboxTest {

    private final Outbox outbox = new Outbox();

    @Test
    void aCompositorWritingThroughAnOutageWaitsAsItsCellsLatestStatesOnly() {
        long cell = CellKey.pack(3, 4);
        for (int tick = 1; tick <= 10_000; tick++) {
            outbox.add(new TileDelta("clock", 2, tick, List.of(new Tile(3, 4, "digit" + tick % 10 + ".png", tick)), new long[0]));
        }
        assertEquals(1, outbox.pendingCells(), "ten thousand ticks of one cell wait as one cell");
        Outbox.Changes changes = outbox.pending().get("clock");
        assertEquals(2, changes.layer());
        assertEquals("digit0.png", changes.cells().get(cell).brick());
        assertEquals(10_000, changes.cells().get(cell).timestamp());
    }

    @Test
    void aTilePutThenRemovedWaitsAsARemovalAndIsNoLongerHeld() {
        outbox.add(new TileDelta("field", 0, 1, List.of(new Tile(0, 0, "a.png", 1), new Tile(1, 0, "a.png", 1)), new long[0]));
        outbox.add(new TileDelta("field", 0, 2, List.of(), new long[] { CellKey.pack(0, 0) }));

        assertTrue(outbox.pending().get("field").cells().containsKey(CellKey.pack(0, 0)));
        assertNull(outbox.pending().get("field").cells().get(CellKey.pack(0, 0)), "written as a removal");
        assertEquals(2, outbox.pendingCells());
        assertEquals(List.of(CellKey.pack(1, 0)), List.copyOf(outbox.held("field").keySet()));
    }

    @Test
    void afterACommitNothingWaitsButWhatCompositorsHoldStaysForARejoin() {
        outbox.add(new TileDelta("field", 5, 1, List.of(new Tile(0, 0, "a.png", 1)), new long[0]));
        outbox.addControl("goodbye");
        outbox.sent();

        assertTrue(outbox.isEmpty());
        assertEquals(0, outbox.pendingCells());
        assertEquals(1, outbox.held("field").size());
        assertEquals(5, outbox.layer("field"));
    }

    @Test
    void whatFailedToCommitWaitsOnWithNewerStatesFoldedIn() {
        outbox.add(new TileDelta("field", 0, 1, List.of(new Tile(0, 0, "a.png", 1), new Tile(1, 0, "a.png", 1)), new long[0]));
        // the commit fails: sent() is not called, and more comes
        outbox.add(new TileDelta("field", 0, 2, List.of(new Tile(1, 0, "b.png", 2)), new long[0]));
        outbox.add(new TileDelta("pond", 1, 1, List.of(new Tile(9, 9, "w.png", 1)), new long[0]));

        assertEquals(List.of("field", "pond"), List.copyOf(outbox.pending().keySet()));
        assertEquals("a.png", outbox.pending().get("field").cells().get(CellKey.pack(0, 0)).brick());
        assertEquals("b.png", outbox.pending().get("field").cells().get(CellKey.pack(1, 0)).brick());
        assertEquals(3, outbox.pendingCells());
    }

    @Test
    void aCompositorThatRemovedAllItsTilesHoldsNothing() {
        outbox.add(new TileDelta("field", 0, 1, List.of(new Tile(0, 0, "a.png", 1)), new long[0]));
        outbox.add(new TileDelta("field", 0, 2, List.of(), new long[] { CellKey.pack(0, 0) }));
        assertTrue(outbox.held().isEmpty());
    }
}
