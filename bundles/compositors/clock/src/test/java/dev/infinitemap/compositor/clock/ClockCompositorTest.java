package dev.infinitemap.compositor.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.Tile;

class ClockCompositorTest {

    @Test
    void theFaceIsAFixedRectangleOfCellsWhateverTheTime() {
        List<Tile> noon = ClockCompositor.face(LocalTime.of(12, 0, 0), 1);
        List<Tile> late = ClockCompositor.face(LocalTime.of(23, 59, 59), 1);
        assertEquals(7 * 29, noon.size());
        assertEquals(cells(noon), cells(late));
    }

    @Test
    void oneSecondLaterOnlyTheLastDigitsCellsChangeBrick() {
        List<Tile> before = ClockCompositor.face(LocalTime.of(10, 20, 30), 1);
        List<Tile> after = ClockCompositor.face(LocalTime.of(10, 20, 31), 1);
        int changed = 0;
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).brick().equals(after.get(i).brick())) {
                changed++;
                assertTrue(before.get(i).x() >= ClockCompositor.LEFT + 25, "only the seconds' last digit changes");
            }
        }
        assertTrue(changed > 0);
    }

    @Test
    void aTickChangesOnlyTheTilesWhoseBrickChanged() {
        List<Tile> before = ClockCompositor.next(List.of(), LocalTime.of(10, 20, 30), 1);
        List<Tile> after = ClockCompositor.next(before, LocalTime.of(10, 20, 31), 2);
        int changed = 0;
        for (int i = 0; i < before.size(); i++) {
            boolean brickChanged = !before.get(i).brick().equals(after.get(i).brick());
            assertEquals(brickChanged, !before.get(i).equals(after.get(i)), "tile " + after.get(i).key());
            assertEquals(brickChanged ? 2.0 : 1.0, after.get(i).timestamp());
            changed += brickChanged ? 1 : 0;
        }
        assertTrue(changed > 0 && changed < 15, "a few cells of one digit, was " + changed);
    }

    private static Set<String> cells(List<Tile> tiles) {
        Set<String> cells = new HashSet<>();
        tiles.forEach(t -> cells.add(t.key()));
        return cells;
    }
}
