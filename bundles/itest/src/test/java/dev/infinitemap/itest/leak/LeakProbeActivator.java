package dev.infinitemap.itest.leak;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.compositor.Compositor;

/**
 * The activator of a compositor bundle that {@code BundleLeakTest} builds at run time from this
 * class file and installs, updates and uninstalls again and again: it registers a compositor
 * that draws a row of tiles, so every part of the daemon that tracks compositors is exercised.
 */
public class LeakProbeActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("infinitemap.compositor.name", "leak-probe");
        properties.put("infinitemap.compositor.layer", 0);
        Compositor compositor = canvas -> {
            List<Tile> tiles = new ArrayList<>();
            for (int x = 0; x < 50; x++) {
                tiles.add(new Tile(x, 7000, "probe.png", 1));
            }
            canvas.draw(tiles);
        };
        context.registerService(Compositor.class, compositor, properties);
    }

    @Override
    public void stop(BundleContext context) {
    }
}
