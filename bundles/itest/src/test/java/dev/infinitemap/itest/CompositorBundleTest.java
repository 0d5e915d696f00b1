package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import dev.infinitemap.api.map.InfiniteMap;

/** The region sample compositor as a real bundle: configuration changes and its lifecycle move exactly its tiles. */
class CompositorBundleTest {

    static final String PID = "dev.infinitemap.compositor.region";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    InfiniteMap map;

    @InjectService
    ConfigurationAdmin configurationAdmin;

    @Test
    void aConfigurationChangeRedrawsTheRegionLive() throws Exception {
        Configuration configuration = configurationAdmin.getConfiguration(PID, "?");
        try {
            configuration.update(properties(-100, -100, 4, 2, "stone.png"));
            Await.until(() -> map.tile(-97, -99).map(t -> t.tile().brick().equals("stone.png")).orElse(false));
            assertThat(map.tile(-30, 12)).as("the default region is gone").isEmpty();

            configuration.update(properties(-100, -100, 2, 2, "stone.png"));
            Await.until(() -> map.tile(-97, -99).isEmpty());
            assertThat(map.tile(-99, -99)).isPresent();
        } finally {
            configuration.delete();
        }
        Await.until(() -> map.tile(-30, 12).isPresent() && map.tile(-99, -99).isEmpty());
    }

    @Test
    void stoppingUpdatingAndStartingTheBundleMovesExactlyItsTiles() throws Exception {
        Bundle region = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().equals("dev.infinitemap.compositor.region")).findFirst().orElseThrow();
        Await.until(() -> map.tile(-30, 12).isPresent());

        region.stop();
        Await.until(() -> map.tile(-30, 12).isEmpty() && map.tile(-11, 15).isEmpty());
        region.start();
        Await.until(() -> map.tile(-30, 12).isPresent() && map.tile(-11, 15).isPresent());
        region.update();
        Await.until(() -> map.tile(-30, 12).isPresent() && map.tile(-11, 15).isPresent());
        assertThat(map.tile(-10, 15)).as("nothing outside the region").isEmpty();
    }

    private static Dictionary<String, Object> properties(int x, int y, int width, int height, String brick) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("originX", x);
        properties.put("originY", y);
        properties.put("width", width);
        properties.put("height", height);
        properties.put("brick", brick);
        return properties;
    }

}
