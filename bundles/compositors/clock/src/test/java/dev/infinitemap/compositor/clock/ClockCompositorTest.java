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

    private static Set<String> cells(List<Tile> tiles) {
        Set<String> cells = new HashSet<>();
        tiles.forEach(t -> cells.add(t.key()));
        return cells;
    }
}
