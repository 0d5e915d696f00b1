package dev.infinitemap.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.map.MapChange;

class ChangeLogTest {

    @Test
    void answersEveryChangeAfterARevisionItStillHolds() {
        ChangeLog log = new ChangeLog(10, 1_000);
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
        ChangeLog log = new ChangeLog(10, 1_000);
        for (long r = 1; r <= 8; r++) {
            log.add(new MapChange(r, "test", List.of(), new long[0]));
        }
        log.resize(20, 1_000);
        assertEquals(8, log.since(0, 8).orElseThrow().size(), "growing loses nothing");
        for (long r = 9; r <= 18; r++) {
            log.add(new MapChange(r, "test", List.of(), new long[0]));
        }
        assertEquals(18, log.since(0, 18).orElseThrow().size(), "the bigger log holds more than the old capacity");
        log.resize(5, 1_000);
        assertEquals(List.of(14L, 15L, 16L, 17L, 18L), log.since(13, 18).orElseThrow().stream().map(MapChange::revision).toList());
        assertTrue(log.since(12, 18).isEmpty());
    }

    @Test
    void bigChangesAreBoundedByTheCellsTheyHoldAndTheLatestAlwaysStays() {
        ChangeLog log = new ChangeLog(10_000, 1_000);
        for (long r = 1; r <= 30; r++) {
            log.add(change(r, 100)); // 100 cells each: only the latest 10 fit in 1,000 cells
        }
        assertEquals(1_000, log.cells());
        assertEquals(List.of(21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L, 30L), log.since(20, 30).orElseThrow().stream().map(MapChange::revision).toList());
        assertTrue(log.since(19, 30).isEmpty(), "older changes went for their cells: the caller needs a snapshot");

        log.add(change(31, 5_000));
        assertEquals(List.of(31L), log.since(30, 31).orElseThrow().stream().map(MapChange::revision).toList(), "a change over the bound stays alone");
        assertEquals(5_000, log.cells());
        log.add(change(32, 1));
        assertEquals(1, log.cells(), "the big change goes as soon as a newer one is there");

        log.resize(10_000, 10);
        for (long r = 33; r <= 50; r++) {
            log.add(change(r, 1));
        }
        assertEquals(10, log.cells(), "a smaller bound applies at once and from then on");
    }

    private static MapChange change(long revision, int cells) {
        long[] removed = new long[cells];
        for (int i = 0; i < cells; i++) {
            removed[i] = i;
        }
        return new MapChange(revision, "test", List.of(), removed);
    }

    @Test
    void cellsChangedBelowTheTopCountTowardsTheBound() {
        ChangeLog log = new ChangeLog(100, 10);
        log.add(new MapChange(1, "test", List.of(), new long[] { 1, 2 }, new long[] { 3, 4, 5 }));
        assertEquals(5, log.cells(), "2 removed and 3 changed below");
        log.add(new MapChange(2, "test", List.of(), new long[0], new long[] { 1, 2, 3, 4, 5, 6 }));
        assertEquals(6, log.cells(), "11 is over the bound: the oldest went");
        log.add(change(3, 1));
        assertEquals(7, log.cells(), "both kept");
    }

    @Test
    void aNewMapCanBeCaughtUpFromRevisionZero() {
        ChangeLog log = new ChangeLog(10, 1_000);
        log.add(new MapChange(1, "test", List.of(), new long[0]));
        assertEquals(1, log.since(0, 1).orElseThrow().size());
        assertEquals(List.of(), new ChangeLog(5, 1_000).since(0, 0).orElseThrow());
    }

    @Test
    void theLatestChangesAreTheNewestOnesOldestFirstAndNoMoreThanItHolds() {
        ChangeLog log = new ChangeLog(10, 1_000);
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
