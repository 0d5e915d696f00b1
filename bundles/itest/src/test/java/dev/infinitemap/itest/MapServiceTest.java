package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogReaderService;
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

    @InjectService
    LogReaderService logReader;

    @Test
    void aThousandPostedDeltasAreAppliedInOrderUnderIncreasingRevisions() throws Exception {
        try (RowWatch row = new RowWatch(map, 1000)) {
            for (int i = 1; i <= 1000; i++) {
                post(new TileDelta("itest-order", 0, i, List.of(new Tile(i, 1000, "b" + i + ".png", i)), new long[0]));
            }
            // Listeners hear of a change just after it becomes visible: wait for them, not only for the map.
            Await.until(() -> row.size() >= 1000);
            assertThat(row.revisions()).hasSize(1000).isSorted().doesNotHaveDuplicates();
            List<Integer> order = new ArrayList<>();
            row.changes().forEach(change -> change.put().forEach(t -> order.add(t.tile().x())));
            assertThat(order).as("the cell each delta put, in the order the map applied them")
                    .isEqualTo(IntStream.rangeClosed(1, 1000).boxed().toList());
            long first = row.revisions().get(0);
            assertThat(map.changesSince(first - 1).orElseThrow()).as("the change log holds them all")
                    .extracting(MapChange::revision).containsAll(row.revisions());
        }
        for (int i = 1; i <= 1000; i++) {
            assertThat(map.tile(i, 1000)).hasValueSatisfying(t -> assertThat(t.compositor()).isEqualTo("itest-order"));
        }
    }

    @Test
    void aDuplicateDeltaIsSkipped() throws Exception {
        TileDelta first = new TileDelta("itest-duplicate", 0, 1, List.of(new Tile(0, 2000, "a.png", 1)), new long[0]);
        try (RowWatch row = new RowWatch(map, 2000)) {
            post(first);
            post(first);
            post(new TileDelta("itest-duplicate", 0, 2, List.of(), new long[] { CellKey.pack(0, 2000) }));
            // A late duplicate: applied, it would bring the removed tile back.
            post(first);
            post(new TileDelta("itest-duplicate", 0, 3, List.of(new Tile(1, 2000, "b.png", 1)), new long[0]));
            Await.until(() -> row.size() >= 3);

            assertThat(row.changes()).as("put 0,2000; removed 0,2000; put 1,2000 and nothing else").satisfiesExactly(
                    put -> assertThat(put.put()).extracting(t -> t.tile().x()).containsExactly(0),
                    removal -> assertThat(removal.removedCells()).containsExactly(CellKey.pack(0, 2000)),
                    put -> assertThat(put.put()).extracting(t -> t.tile().x()).containsExactly(1));
        }
        assertThat(map.tile(0, 2000)).isEmpty();
        assertThat(map.tile(1, 2000)).isPresent();
    }

    @Test
    void anEventWithoutADeltaIsIgnoredAndTheMapGoesOn() throws Exception {
        try (RowWatch row = new RowWatch(map, 3000)) {
            eventAdmin.postEvent(new Event(MapEvents.DELTA_TOPIC, Map.of(MapEvents.DELTA, "not a delta")));
            post(new TileDelta("itest-ignored", 0, 1, List.of(new Tile(0, 3000, "a.png", 1)), new long[0]));
            Await.until(() -> map.tile(0, 3000).isPresent());
            Await.until(() -> row.size() >= 1);
            assertThat(row.changes()).hasSize(1);
        }
        Await.until(() -> logged(LogLevel.WARN, "Ignored an event on " + MapEvents.DELTA_TOPIC + " without a TileDelta"));
    }

    private boolean logged(LogLevel level, String start) {
        Enumeration<LogEntry> entries = logReader.getLog();
        while (entries.hasMoreElements()) {
            LogEntry entry = entries.nextElement();
            if (entry.getLogLevel() == level && entry.getMessage().startsWith(start)) {
                return true;
            }
        }
        return false;
    }

    private void post(TileDelta delta) {
        eventAdmin.postEvent(new Event(MapEvents.DELTA_TOPIC, Map.of(MapEvents.DELTA, delta, MapEvents.COMPOSITOR, delta.compositor(),
                MapEvents.LAYER, delta.layer(), MapEvents.SEQUENCE, delta.sequence())));
    }

}
