package dev.infinitemap.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.map.MapChange;

class ChangeLogTest {

    @Test
    void answersEveryChangeAfterARevisionItStillHolds() {
        ChangeLog log = new ChangeLog(10);
        for (long r = 1; r <= 25; r++) {
            log.add(new MapChange(r, "test", List.of(), new long[0]));
        }
        assertEquals(List.of(21L, 22L, 23L, 24L, 25L), log.since(20, 25).orElseThrow().stream().map(MapChange::revision).toList());
        assertEquals(10, log.since(15, 25).orElseThrow().size(), "the oldest kept change is 16, so 15 is just reachable");
        assertTrue(log.since(14, 25).isEmpty(), "revision 15 is gone: the caller needs a snapshot");
        assertEquals(List.of(), log.since(25, 25).orElseThrow());
        assertTrue(log.since(26, 25).isEmpty(), "a revision from the future is not trusted");
    }

    @Test
    void aResizedLogKeepsItsChangesAndDropsOnlyWhatNoLongerFits() {
        ChangeLog log = new ChangeLog(10);
        for (long r = 1; r <= 8; r++) {
            log.add(new MapChange(r, "test", List.of(), new long[0]));
        }
        log.resize(20);
        assertEquals(8, log.since(0, 8).orElseThrow().size(), "growing loses nothing");
        for (long r = 9; r <= 18; r++) {
            log.add(new MapChange(r, "test", List.of(), new long[0]));
        }
        assertEquals(18, log.since(0, 18).orElseThrow().size(), "the bigger log holds more than the old capacity");
        log.resize(5);
        assertEquals(List.of(14L, 15L, 16L, 17L, 18L), log.since(13, 18).orElseThrow().stream().map(MapChange::revision).toList());
        assertTrue(log.since(12, 18).isEmpty());
    }

    @Test
    void aNewMapCanBeCaughtUpFromRevisionZero() {
        ChangeLog log = new ChangeLog(10);
        log.add(new MapChange(1, "test", List.of(), new long[0]));
        assertEquals(1, log.since(0, 1).orElseThrow().size());
        assertEquals(List.of(), new ChangeLog(5).since(0, 0).orElseThrow());
    }

    @Test
    void theLatestChangesAreTheNewestOnesOldestFirstAndNoMoreThanItHolds() {
        ChangeLog log = new ChangeLog(10);
        assertEquals(List.of(), log.latest(5));
        for (long r = 101; r <= 103; r++) {
            log.add(new MapChange(r, "test", List.of(), new long[0]));
        }
        assertEquals(List.of(101L, 102L, 103L), log.latest(15).stream().map(MapChange::revision).toList(), "fewer made than asked for");
        for (long r = 104; r <= 125; r++) {
            log.add(new MapChange(r, "test", List.of(), new long[0]));
        }
        assertEquals(List.of(123L, 124L, 125L), log.latest(3).stream().map(MapChange::revision).toList());
        assertEquals(10, log.latest(50).size(), "no more than the log holds");
        assertEquals(116L, log.latest(50).get(0).revision());
    }
}
