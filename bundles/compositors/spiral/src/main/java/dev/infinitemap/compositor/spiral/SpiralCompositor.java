package dev.infinitemap.compositor.spiral;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;
import dev.infinitemap.api.compositor.Compositor;
import dev.infinitemap.api.compositor.CompositorComponent;
import dev.infinitemap.api.compositor.TileCanvas;

/**
 * Draws a two-armed spiral around the origin, in gold and teal bricks: a sample of a compositor
 * that draws once.
 */
@Component
@CompositorComponent(name = "spiral", layer = 1)
public class SpiralCompositor implements Compositor {

    static final int TURNS = 4;
    static final double SPACING = 3.0;

    @Override
    public void render(TileCanvas canvas) {
        canvas.draw(tiles(System.currentTimeMillis() / 1000.0).values());
    }

    /** The spiral's tiles, one per cell; an arm drawn later wins a shared cell. */
    static Map<Long, Tile> tiles(double timestamp) {
        Map<Long, Tile> cells = new LinkedHashMap<>();
        for (int arm = 0; arm < 2; arm++) {
            String brick = arm == 0 ? "spiral-gold.png" : "spiral-teal.png";
            for (double angle = 0; angle < TURNS * 2 * Math.PI; angle += 0.05) {
                double radius = SPACING * angle / (2 * Math.PI);
                int x = (int) Math.round(radius * Math.cos(angle + arm * Math.PI));
                int y = (int) Math.round(radius * Math.sin(angle + arm * Math.PI));
                cells.put(CellKey.pack(x, y), new Tile(x, y, brick, timestamp));
            }
        }
        return cells;
    }
}
