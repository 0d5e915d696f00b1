package dev.infinitemap.map;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import dev.infinitemap.api.map.MapChange;

/**
 * The last changes of the map, so that a viewer that reconnects with its last revision can
 * catch up without a snapshot. Bounded: the oldest change goes when the log is full. Not
 * thread-safe: the owner serialises access.
 */
final class ChangeLog {

    private int capacity;
    private final ArrayDeque<MapChange> changes;

    ChangeLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the change log must hold at least one change, not " + capacity);
        }
        this.capacity = capacity;
        this.changes = new ArrayDeque<>(Math.min(capacity, 1 << 16));
    }

    /** Keeps at most this many changes from now on; a smaller log drops its oldest at once. */
    void resize(int newCapacity) {
        if (newCapacity < 1) {
            throw new IllegalArgumentException("the change log must hold at least one change, not " + newCapacity);
        }
        capacity = newCapacity;
        while (changes.size() > capacity) {
            changes.removeFirst();
        }
    }

    void add(MapChange change) {
        if (changes.size() == capacity) {
            changes.removeFirst();
        }
        changes.addLast(change);
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
