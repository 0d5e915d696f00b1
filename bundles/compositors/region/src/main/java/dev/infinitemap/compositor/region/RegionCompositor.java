package dev.infinitemap.compositor.region;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileRules;
import dev.infinitemap.api.compositor.Compositor;
import dev.infinitemap.api.compositor.CompositorComponent;
import dev.infinitemap.api.compositor.TileCanvas;

/**
 * Fills a rectangle with one brick. Its origin, size and brick come from
 * {@code deploy/dev.infinitemap.compositor.region.cfg}; editing the file redraws the region
 * live: a sample of a configurable compositor.
 */
@Component(configurationPid = RegionCompositor.PID)
@CompositorComponent(name = "region", layer = 0)
@Designate(ocd = RegionCompositor.Config.class)
public class RegionCompositor implements Compositor {

    static final String PID = "dev.infinitemap.compositor.region";

    /** Largest region, in cells: a typo in the size must not flood the map. */
    static final long MAX_CELLS = 1_000_000;

    @ObjectClassDefinition(name = "InfiniteMap sample: region", description = "A rectangle of one brick.")
    @interface Config {
        @AttributeDefinition(name = "Left column")
        int originX() default -30;

        @AttributeDefinition(name = "Top row")
        int originY() default 12;

        @AttributeDefinition(name = "Width (cells)", min = "1")
        int width() default 20;

        @AttributeDefinition(name = "Height (cells)", min = "1")
        int height() default 4;

        @AttributeDefinition(name = "Brick")
        String brick() default "region-water.png";
    }

    private volatile Config config;
    private volatile TileCanvas canvas;

    @Activate
    public RegionCompositor(Config config) {
        this.config = config;
    }

    @Modified
    void modified(Config config) {
        this.config = config;
        TileCanvas current = canvas;
        if (current != null) {
            current.draw(tiles(config, System.currentTimeMillis() / 1000.0));
        }
    }

    @Override
    public void render(TileCanvas canvas) {
        this.canvas = canvas;
        canvas.draw(tiles(config, System.currentTimeMillis() / 1000.0));
    }

    /**
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    static List<Tile> tiles(Config config, double timestamp) {
        if (config.width() < 1 || config.height() < 1) {
            throw new IllegalArgumentException("width and height must be 1 or more, not " + config.width() + " x " + config.height());
        }
        if ((long) config.width() * config.height() > MAX_CELLS) {
            throw new IllegalArgumentException("the region has " + (long) config.width() * config.height() + " cells, more than " + MAX_CELLS);
        }
        TileRules.brickProblem(config.brick()).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        List<Tile> tiles = new ArrayList<>(config.width() * config.height());
        for (long x = config.originX(); x < (long) config.originX() + config.width() && x <= Integer.MAX_VALUE; x++) {
            for (long y = config.originY(); y < (long) config.originY() + config.height() && y <= Integer.MAX_VALUE; y++) {
                tiles.add(new Tile((int) x, (int) y, config.brick(), timestamp));
            }
        }
        return tiles;
    }
}
