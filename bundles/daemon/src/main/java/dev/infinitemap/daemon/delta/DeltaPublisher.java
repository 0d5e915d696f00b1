package dev.infinitemap.daemon.delta;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 */
@Component(service = DeltaPublisher.class)
public final class DeltaPublisher {

    private final EventAdmin eventAdmin;
    private final ExecutorService poster = Executors.newSingleThreadExecutor(DaemonThreads.named("infinitemap-delta-poster"));
    private final Map<String, Long> sequences = new HashMap<>();
    private final long firstSequence = System.currentTimeMillis() * 1000;

    @Activate
    public DeltaPublisher(@Reference EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
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

    @Deactivate
    void close() throws InterruptedException {
        poster.shutdown();
        poster.awaitTermination(5, TimeUnit.SECONDS);
    }
}
