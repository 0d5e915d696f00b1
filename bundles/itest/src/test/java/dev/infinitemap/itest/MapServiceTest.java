package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.test.common.annotation.InjectService;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;
import dev.infinitemap.api.event.MapEvents;
import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.MapChange;

/** Deltas posted on Event Admin reach the map in order, exactly once. */
class MapServiceTest {


    @InjectService
    EventAdmin eventAdmin;

    @InjectService
    InfiniteMap map;

    @Test
    void aThousandPostedDeltasAreAppliedInOrderUnderConsecutiveRevisions() throws Exception {
        List<MapChange> seen = new CopyOnWriteArrayList<>();
        long start = map.revision();
        try (AutoCloseable subscription = map.subscribe(seen::add)) {
            for (int i = 1; i <= 1000; i++) {
                post(new TileDelta("itest-order", 0, i, List.of(new Tile(i, 1000, "b" + i + ".png", i)), new long[0]));
            }
            // Listeners hear of a change just after it becomes visible: wait for them, not only for the map.
            Await.until(() -> seen.size() >= 1000);
        }
        assertThat(map.revision()).isEqualTo(start + 1000);
        for (int i = 1; i <= 1000; i++) {
            assertThat(map.tile(i, 1000)).hasValueSatisfying(t -> assertThat(t.compositor()).isEqualTo("itest-order"));
        }
        List<Long> revisions = new ArrayList<>();
        seen.forEach(c -> revisions.add(c.revision()));
        assertThat(revisions).hasSize(1000).isSorted().startsWith(start + 1).endsWith(start + 1000);
        assertThat(map.changesSince(start).orElseThrow()).hasSize(1000);
    }

    @Test
    void aDuplicateDeltaIsSkipped() throws Exception {
        TileDelta first = new TileDelta("itest-duplicate", 0, 1, List.of(new Tile(0, 2000, "a.png", 1)), new long[0]);
        long start = map.revision();
        post(first);
        post(first);
        post(new TileDelta("itest-duplicate", 0, 2, List.of(), new long[] { CellKey.pack(0, 2000) }));
        Await.until(() -> map.tile(0, 2000).isEmpty() && map.revision() >= start + 2);
        post(first);
        post(new TileDelta("itest-duplicate", 0, 3, List.of(new Tile(1, 2000, "b.png", 1)), new long[0]));
        Await.until(() -> map.tile(1, 2000).isPresent());

        assertThat(map.revision()).isEqualTo(start + 3);
        assertThat(map.tile(0, 2000)).isEmpty();
    }

    @Test
    void anEventWithoutADeltaIsIgnored() throws Exception {
        long start = map.revision();
        eventAdmin.postEvent(new Event(MapEvents.DELTA_TOPIC, Map.of(MapEvents.DELTA, "not a delta")));
        post(new TileDelta("itest-ignored", 0, 1, List.of(new Tile(0, 3000, "a.png", 1)), new long[0]));
        Await.until(() -> map.tile(0, 3000).isPresent());
        assertThat(map.revision()).isEqualTo(start + 1);
    }

    private void post(TileDelta delta) {
        eventAdmin.postEvent(new Event(MapEvents.DELTA_TOPIC, Map.of(MapEvents.DELTA, delta, MapEvents.COMPOSITOR, delta.compositor(),
                MapEvents.LAYER, delta.layer(), MapEvents.SEQUENCE, delta.sequence())));
    }

}
