package dev.infinitemap.compositor.spiral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;

class SpiralCompositorTest {

    @Test
    void twoArmsWindAroundTheOriginWithinTheirRadius() {
        Map<Long, Tile> tiles = SpiralCompositor.tiles(1);
        double maxRadius = SpiralCompositor.SPACING * SpiralCompositor.TURNS + 1;
        assertTrue(tiles.size() > 100, "a spiral, not a dot: " + tiles.size());
        tiles.values().forEach(t -> assertTrue(Math.hypot(t.x(), t.y()) <= maxRadius, t.key()));
        assertTrue(tiles.values().stream().anyMatch(t -> t.brick().equals("spiral-gold.png")));
        assertTrue(tiles.values().stream().anyMatch(t -> t.brick().equals("spiral-teal.png")));
        assertEquals(tiles.get(CellKey.pack(0, 0)).cell(), 0);
    }
}
