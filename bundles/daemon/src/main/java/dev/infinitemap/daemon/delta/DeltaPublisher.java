package dev.infinitemap.daemon.delta;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;
import dev.infinitemap.api.event.MapEvents;

/**
 * Numbers each compositor's deltas and posts them on Event Admin from one thread.
 * <p>
 * Event Admin keeps asynchronous events in order only per posting thread, so every delta
 * goes out through the same single thread. Sequence numbers start from the clock (in
 * microseconds) when the daemon starts, so they keep growing across a restart of this bundle
 * while the map keeps running, and the map can tell a duplicate from a new delta.
 * <p>
 * It also keeps compositor names unique: a manifest and a bundle, or two manifests, cannot
 * draw on one compositor's layer.
 */
@Component(service = DeltaPublisher.class)
public final class DeltaPublisher {

    private final EventAdmin eventAdmin;
    private final ExecutorService poster = Executors.newSingleThreadExecutor(DaemonThreads.named("infinitemap-delta-poster"));
    private final Map<String, Long> sequences = new HashMap<>();
    private final Map<String, String> owners = new HashMap<>();
    private final long firstSequence = System.currentTimeMillis() * 1000;

    @Activate
    public DeltaPublisher(@Reference EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    /**
     * Reserves a compositor name for an owner (a file or a bundle, as users name it).
     *
     * @return empty when the name is now the owner's, else who has it
     */
    public synchronized Optional<String> claim(String compositor, String owner) {
        String current = owners.putIfAbsent(compositor, owner);
        return current == null || current.equals(owner) ? Optional.empty() : Optional.of(current);
    }

    /** Gives a compositor name back, if the owner has it. */
    public synchronized void release(String compositor, String owner) {
        owners.remove(compositor, owner);
    }

    /** Numbers the delta and posts it; returns at once. */
    public synchronized TileDelta publish(String compositor, int layer, List<Tile> put, long[] removed) {
        long sequence = sequences.merge(compositor, firstSequence, (last, first) -> last + 1);
        TileDelta delta = new TileDelta(compositor, layer, sequence, put, removed);
        Event event = new Event(MapEvents.DELTA_TOPIC, Map.of(MapEvents.DELTA, delta, MapEvents.COMPOSITOR, compositor,
                MapEvents.LAYER, layer, MapEvents.SEQUENCE, sequence));
        poster.execute(() -> eventAdmin.postEvent(event));
        return delta;
    }

    /**
     * Posts a compositor lifecycle event ({@link MapEvents#COMPOSITOR_ADDED} and the others),
     * in order with the deltas.
     */
    public void lifecycle(String topic, String compositor, String error) {
        lifecycle(topic, compositor, error, Map.of());
    }

    /** As {@link #lifecycle(String, String, String)}, with more event properties. */
    public void lifecycle(String topic, String compositor, String error, Map<String, Object> more) {
        Map<String, Object> properties = new HashMap<>(more);
        properties.put(MapEvents.COMPOSITOR, compositor);
        if (error != null) {
            properties.put(MapEvents.ERROR, error);
        }
        Event event = new Event(topic, properties);
        poster.execute(() -> eventAdmin.postEvent(event));
    }

    @Deactivate
    void close() throws InterruptedException {
        poster.shutdown();
        poster.awaitTermination(5, TimeUnit.SECONDS);
    }
}
