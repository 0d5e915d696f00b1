package dev.infinitemap.cluster;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.infinitemap.api.TileDelta;
import dev.infinitemap.api.cluster.Cluster;
import dev.infinitemap.api.event.MapEvents;

/**
 * Joins this runtime's map to the cluster's: local deltas (those without an origin) go to the
 * shared log, remote ones come back from it as deltas of compositors named
 * {@code <compositor>@<runtime>}, posted with their origin so that they are not sent again.
 * <p>
 * This bundle is installed only when the cluster is configured; its settings are framework
 * properties the launcher sets from {@code INFINITEMAP_CLUSTER_*}. Compositors and the map do
 * not know it is there; the status, the console and the shell show it as {@link Cluster}. Immediate, so that it follows the shared map from the start,
 * not from the first local delta.
 */
@Component(immediate = true, service = { EventHandler.class, Cluster.class }, property = { EventConstants.EVENT_TOPIC + "=" + MapEvents.DELTA_TOPIC,
        EventConstants.EVENT_FILTER + "=(!(" + MapEvents.ORIGIN + "=*))" })
public class ClusterBridge implements EventHandler, Cluster {

    private final Logger log;
    private final EventAdmin eventAdmin;
    private final KafkaCluster cluster;
    private final String runtime;

    @Activate
    public ClusterBridge(BundleContext context, @Reference EventAdmin eventAdmin, @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.eventAdmin = eventAdmin;
        String home = context.getProperty("infinitemap.home");
        ClusterSettings settings;
        try {
            settings = ClusterSettings.read(context::getProperty, home == null ? null : Path.of(home));
        } catch (IllegalArgumentException e) {
            log.error("The cluster bridge does not start: {}. This runtime keeps its map to itself.", e.getMessage());
            throw e;
        }
        this.runtime = settings.runtime();
        this.cluster = new KafkaCluster(settings, log, this::post);
        log.info("Runtime {} shares map \"{}\" through Kafka at {} (topic {}); its tiles are {} when it stops or dies.", settings.runtime(),
                settings.map(), settings.bootstrap(), settings.topic(), settings.onDeath() == RuntimeRecord.OnDeath.REMOVE ? "removed" : "kept");
        cluster.start();
    }

    @Override
    public void handleEvent(Event event) {
        if (event.getProperty(MapEvents.DELTA) instanceof TileDelta delta) {
            cluster.local(delta);
        }
    }

    @Override
    public Status status() {
        return cluster.status();
    }

    // Called from the follower thread only, so remote deltas reach the map in log order.
    private void post(TileDelta delta) {
        eventAdmin.postEvent(new Event(MapEvents.DELTA_TOPIC, Map.of(MapEvents.DELTA, delta, MapEvents.COMPOSITOR, delta.compositor(),
                MapEvents.LAYER, delta.layer(), MapEvents.SEQUENCE, delta.sequence(), MapEvents.ORIGIN, runtime)));
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        cluster.stop();
        log.info("Runtime {} left the shared map.", runtime);
    }
}
