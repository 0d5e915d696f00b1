package dev.infinitemap.compositor.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;

import org.junit.jupiter.api.Test;

class RegionCompositorTest {

    @Test
    void fillsExactlyTheConfiguredRectangle() {
        var tiles = RegionCompositor.tiles(config(-2, 3, 4, 2, "stone.png"), 1);
        assertEquals(8, tiles.size());
        assertTrue(tiles.stream().allMatch(t -> t.x() >= -2 && t.x() < 2 && t.y() >= 3 && t.y() < 5 && t.brick().equals("stone.png")));
    }

    @Test
    void stopsAtTheEdgeOfThe32BitPlane() {
        assertEquals(1, RegionCompositor.tiles(config(Integer.MAX_VALUE, 0, 10, 1, "a.png"), 1).size());
    }

    @Test
    void refusesAnEmptyAHugeOrAnUnsafeRegion() {
        assertThrows(IllegalArgumentException.class, () -> RegionCompositor.tiles(config(0, 0, 0, 5, "a.png"), 1));
        assertThrows(IllegalArgumentException.class, () -> RegionCompositor.tiles(config(0, 0, 100_000, 100_000, "a.png"), 1));
        assertThrows(IllegalArgumentException.class, () -> RegionCompositor.tiles(config(0, 0, 1, 1, "../a.png"), 1));
    }

    private static RegionCompositor.Config config(int x, int y, int width, int height, String brick) {
        return new RegionCompositor.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return RegionCompositor.Config.class;
            }

            @Override
            public int originX() {
                return x;
            }

            @Override
            public int originY() {
                return y;
            }

            @Override
            public int width() {
                return width;
            }

            @Override
            public int height() {
                return height;
            }

            @Override
            public String brick() {
                return brick;
            }
        };
    }
}
