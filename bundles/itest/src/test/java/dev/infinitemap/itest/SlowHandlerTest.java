package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;
import dev.infinitemap.api.event.MapEvents;
import dev.infinitemap.api.map.InfiniteMap;

/**
 * Foreign handlers on the delta topic that are slow, or slower than Event Admin's timeout
 * (1 s in this test run, 5 s by default), delay deltas but never lose or reorder one.
 */
class SlowHandlerTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    EventAdmin eventAdmin;

    @InjectService
    InfiniteMap map;

    @Test
    void slowHandlersOnTheDeltaTopicNeverCauseALostOrReorderedDelta() throws Exception {
        AtomicBoolean blockedOnce = new AtomicBoolean();
        // Blocks past the Event Admin timeout once, so Event Admin denies it further events.
        ServiceRegistration<EventHandler> overTimeout = register(event -> {
            if (blockedOnce.compareAndSet(false, true)) {
                pause(1500);
            }
        });
        // Stays under the timeout on every event, so it is never denied and slows every delta.
        ServiceRegistration<EventHandler> slow = register(event -> pause(5));
        try (RowWatch row = new RowWatch(map, 4000)) {
            try {
                for (int i = 1; i <= 200; i++) {
                    TileDelta delta = new TileDelta("itest-slow-handlers", 0, i, List.of(new Tile(i, 4000, "s" + i + ".png", i)),
                            i > 1 ? new long[] { new Tile(i - 1, 4000, "x.png", 0).cell() } : new long[0]);
                    eventAdmin.postEvent(new Event(MapEvents.DELTA_TOPIC, Map.of(MapEvents.DELTA, delta)));
                }
                Await.until(() -> row.size() >= 200);
            } finally {
                overTimeout.unregister();
                slow.unregister();
            }
            assertThat(row.revisions()).hasSize(200).isSorted().doesNotHaveDuplicates();
        }
        // Each delta moved the tile one cell on: only the last one is left, so none was lost or reordered.
        for (int i = 1; i < 200; i++) {
            assertThat(map.tile(i, 4000)).as("cell %d,4000", i).isEmpty();
        }
        assertThat(map.tile(200, 4000)).hasValueSatisfying(t -> assertThat(t.tile().brick()).isEqualTo("s200.png"));
        assertThat(blockedOnce).isTrue();
    }

    private ServiceRegistration<EventHandler> register(EventHandler handler) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EventConstants.EVENT_TOPIC, MapEvents.DELTA_TOPIC);
        return context.registerService(EventHandler.class, handler, properties);
    }

    /** The slowness under test, not a wait for a condition. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
