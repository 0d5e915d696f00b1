package dev.infinitemap.web.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class SlippyGridTest {

    @Test
    void zoomZeroIsTheWholePlaneAndCellZeroIsItsCentre() {
        assertEquals(Integer.MIN_VALUE, SlippyGrid.firstCell(0, 0));
        assertEquals(Integer.MAX_VALUE, SlippyGrid.lastCell(0, 0));
        assertEquals(0, SlippyGrid.firstCell(1, 1), "the second tile of zoom 1 starts at cell 0");
        assertEquals(-1, SlippyGrid.lastCell(1, 0));
        assertEquals(256, SlippyGrid.cellsPerTile(24), "a pixel a cell at zoom 24");
        assertEquals(8, SlippyGrid.cellsPerTile(SlippyGrid.MAX_ZOOM), "32 pixels a cell at the deepest zoom");
    }

    @Test
    void everyCellIsInsideTheTileThatHoldsIt() {
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            int cell = random.nextInt();
            int z = random.nextInt(SlippyGrid.MAX_ZOOM + 1);
            long t = SlippyGrid.tileOf(z, cell);
            assertTrue(SlippyGrid.valid(z, t, t), z + "/" + t);
            assertTrue(SlippyGrid.firstCell(z, t) <= cell && cell <= SlippyGrid.lastCell(z, t), cell + " in " + z + "/" + t);
        }
    }

    @Test
    void onlyTilesOfTheGridAreValid() {
        assertTrue(SlippyGrid.valid(29, (1L << 29) - 1, 0));
        assertFalse(SlippyGrid.valid(29, 1L << 29, 0));
        assertFalse(SlippyGrid.valid(30, 0, 0));
        assertFalse(SlippyGrid.valid(-1, 0, 0));
        assertFalse(SlippyGrid.valid(2, 0, -1));
        assertFalse(SlippyGrid.valid(2, 4, 0));
    }
}
