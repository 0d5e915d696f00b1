package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.MapChange;

/**
 * A change of any of the product's configurations keeps the map: its tiles, its revision
 * sequence and the service itself. (The WebSocket feed's PID, whose bundle needs HTTP, is
 * checked end to end with a connected client in {@code ViewersIT}.)
 */
class ConfigurationChangeTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    InfiniteMap map;

    @InjectService
    ConfigurationAdmin configurationAdmin;

    @InjectService
    ServiceComponentRuntime scr;

    DeployFolder deploy;

    @BeforeEach
    void deployFolder() throws IOException {
        deploy = DeployFolder.of(context);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "dev.infinitemap.map, dev.infinitemap.map.MapService, changeLogSize, 20000, 70",
        "dev.infinitemap.daemon.manifest, dev.infinitemap.daemon.manifest.ManifestLimits, maxTiles, 500000, 71",
        "dev.infinitemap.daemon.compositors, dev.infinitemap.daemon.compositor.CompositorTracker, renderTimeoutMillis, 7000, 72",
        "dev.infinitemap.log, dev.infinitemap.log.LogWriter, level, DEBUG, 73",
        "dev.infinitemap.compositor.region, dev.infinitemap.compositor.region.RegionCompositor, brick, moss.png, 74",
    })
    void aLiveConfigurationChangeKeepsTheMapItsRevisionsAndItsTiles(String pid, String component, String key, String value, int row)
            throws Exception {
        String file = "config-" + row + ".manifest.json";
        try (RowWatch watch = new RowWatch(map, row)) {
            deploy.write(file, "{ \"0," + row + "\": {\"brick\": \"kept.png\", \"timestamp\": 1} }");
            Await.until(() -> watch.size() == 1);
            long serviceId = mapServiceId();
            long revisionBefore = map.revision();
            int tilesBefore = map.tiles(-1000, row, 1000, row).tiles().size();

            Configuration configuration = configurationAdmin.getConfiguration(pid, "?");
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(key, value);
            try {
                configuration.update(properties);
                Await.until(() -> configured(component, key, value));

                assertThat(mapServiceId()).as("the map service was not replaced").isEqualTo(serviceId);
                assertThat(map.revision()).as("the revision did not start again").isGreaterThanOrEqualTo(revisionBefore);
                assertThat(map.tile(0, row)).as("the tile is still on the map").isPresent();
                assertThat(map.tiles(-1000, row, 1000, row).tiles()).hasSize(tilesBefore);

                deploy.write(file, "{ \"1," + row + "\": {\"brick\": \"after.png\", \"timestamp\": 2} }");
                Await.until(() -> watch.size() == 2);
                List<MapChange> changes = watch.changes();
                assertThat(changes.get(1).revision()).as("the next change continues the revision sequence")
                        .isGreaterThan(changes.get(0).revision()).isGreaterThan(revisionBefore);
                assertThat(changes.get(1).put()).extracting(t -> t.tile().key()).containsExactly("1," + row);
                assertThat(changes.get(1).removedCells()).hasSize(1);
            } finally {
                configuration.delete();
            }
            Await.until(() -> !configured(component, key, value));
            assertThat(mapServiceId()).as("deleting the configuration keeps the map too").isEqualTo(serviceId);
            assertThat(map.tile(1, row)).isPresent();
            deploy.delete(file);
            Await.until(() -> map.tile(1, row).isEmpty());
        }
    }

    private long mapServiceId() {
        ServiceReference<InfiniteMap> reference = context.getServiceReference(InfiniteMap.class);
        return reference == null ? -1 : (Long) reference.getProperty(Constants.SERVICE_ID);
    }

    /** Whether the active component has this property: SCR's own view, for services and others alike. */
    private boolean configured(String component, String key, String value) {
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (description.name.equals(component)) {
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    if (configuration.state == ComponentConfigurationDTO.ACTIVE
                            && value.equals(String.valueOf(configuration.properties.get(key)))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

}
