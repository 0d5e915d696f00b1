package dev.infinitemap.map;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import dev.infinitemap.api.map.MapChange;

/**
 * The last changes of the map, so that a viewer that reconnects with its last revision can
 * catch up without a snapshot. Bounded twice: by the number of changes and by the cells they
 * hold together, so a compositor that changes many cells at a time cannot fill the heap; the
 * oldest changes go first, and the latest change always stays. Not thread-safe: the owner
 * serialises access.
 */
final class ChangeLog {

    private int capacity;
    private long maxCells;
    private long cells;
    private final ArrayDeque<MapChange> changes;

    ChangeLog(int capacity, long maxCells) {
        this.changes = new ArrayDeque<>(Math.min(Math.max(capacity, 1), 1 << 16));
        resize(capacity, maxCells);
    }

    /** Keeps at most this many changes and cells from now on; a smaller log drops its oldest at once. */
    void resize(int newCapacity, long newMaxCells) {
        if (newCapacity < 1 || newMaxCells < 1) {
            throw new IllegalArgumentException("the change log must hold at least one change and one cell, not " + newCapacity
                    + " changes and " + newMaxCells + " cells");
        }
        capacity = newCapacity;
        maxCells = newMaxCells;
        trim();
    }

    void add(MapChange change) {
        changes.addLast(change);
        cells += cells(change);
        trim();
    }

    /** @return the cells the kept changes hold together */
    long cells() {
        return cells;
    }

    private void trim() {
        while (changes.size() > capacity || (cells > maxCells && changes.size() > 1)) {
            cells -= cells(changes.removeFirst());
        }
    }

    private static long cells(MapChange change) {
        return change.put().size() + change.removedCellCount() + change.changedBelowCount();
    }

    /** @return the latest changes, at most {@code max}, oldest first */
    List<MapChange> latest(int max) {
        List<MapChange> result = new ArrayList<>(Math.max(0, Math.min(max, changes.size())));
        var newestFirst = changes.descendingIterator();
        while (result.size() < max && newestFirst.hasNext()) {
            result.add(newestFirst.next());
        }
        Collections.reverse(result);
        return result;
    }

    /**
     * @param revision the last revision the caller has
     * @param current the map's current revision
     * @return every change after that revision, oldest first; empty when the log no longer
     *         reaches back that far (or the revision is from the future)
     */
    Optional<List<MapChange>> since(long revision, long current) {
        if (revision > current || revision < 0) {
            return Optional.empty();
        }
        if (revision == current) {
            return Optional.of(List.of());
        }
        MapChange oldest = changes.peekFirst();
        if (oldest == null || oldest.revision() > revision + 1) {
            return Optional.empty();
        }
        List<MapChange> result = new ArrayList<>((int) (current - revision));
        for (MapChange change : changes) {
            if (change.revision() > revision) {
                result.add(change);
            }
        }
        return Optional.of(result);
    }
}
