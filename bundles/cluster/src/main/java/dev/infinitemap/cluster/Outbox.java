package dev.infinitemap.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;

/**
 * What this runtime has still to write to the shared map, and what its compositors hold.
 * <p>
 * Local deltas are folded per compositor into each cell's latest state (a tile, or removed)
 * until the next transaction commits, so what waits is bounded by the cells touched, not by
 * how long the broker is away or how often a compositor writes: a clock ticking through an
 * outage of an hour waits as one change of its few cells. Other runtimes get each cell's latest
 * state, which is all a compacted log keeps anyway. Not thread-safe: the sender thread owns it.
 */
final class Outbox {

    /** One compositor's changes since the last commit: its layer and each touched cell's state, null for removed. */
    static final class Changes {
        private int layer;
        private final Map<Long, Tile> cells = new LinkedHashMap<>();

        int layer() {
            return layer;
        }

        /** @return each touched cell's latest state, null when removed */
        Map<Long, Tile> cells() {
            return Collections.unmodifiableMap(cells);
        }
    }

    private final Map<String, Changes> pending = new LinkedHashMap<>();
    private final List<Object> control = new ArrayList<>();
    private final Map<String, Map<Long, Tile>> held = new HashMap<>();
    private final Map<String, Integer> layers = new HashMap<>();
    private int pendingCells;

    /** Folds a local delta in: its cells' new states wait, and what its compositor holds is updated. */
    void add(TileDelta delta) {
        Changes changes = pending.computeIfAbsent(delta.compositor(), c -> new Changes());
        changes.layer = delta.layer();
        Map<Long, Tile> cells = held.computeIfAbsent(delta.compositor(), c -> new HashMap<>());
        for (Tile tile : delta.upserts()) {
            touch(changes, tile.cell(), tile);
            cells.put(tile.cell(), tile);
        }
        for (long cell : delta.removedCells()) {
            touch(changes, cell, null);
            cells.remove(cell);
        }
        if (cells.isEmpty()) {
            held.remove(delta.compositor());
            layers.remove(delta.compositor());
        } else {
            layers.put(delta.compositor(), delta.layer());
        }
    }

    private void touch(Changes changes, long cell, Tile state) {
        boolean known = changes.cells.containsKey(cell);
        changes.cells.put(cell, state);
        if (!known) {
            pendingCells++;
        }
    }

    /** Queues a record that is not a tile change (a goodbye, a decision, leftovers), written after the changes, in order. */
    void addControl(Object item) {
        control.add(item);
    }

    boolean isEmpty() {
        return pending.isEmpty() && control.isEmpty();
    }

    /** @return the changes waiting, per compositor in the order they first changed */
    Map<String, Changes> pending() {
        return Collections.unmodifiableMap(pending);
    }

    /** @return how many cells wait to be written */
    int pendingCells() {
        return pendingCells;
    }

    List<Object> control() {
        return Collections.unmodifiableList(control);
    }

    /** Everything waiting was committed; on a failed commit nothing is called and it all waits on, newer states folded in. */
    void sent() {
        pending.clear();
        control.clear();
        pendingCells = 0;
    }

    /** @return what each local compositor holds now, by name */
    Map<String, Map<Long, Tile>> held() {
        return Collections.unmodifiableMap(held);
    }

    /** @return what a local compositor holds now, empty when nothing */
    Map<Long, Tile> held(String compositor) {
        return held.getOrDefault(compositor, Map.of());
    }

    /** @return a local compositor's layer, for one that holds tiles */
    int layer(String compositor) {
        return layers.get(compositor);
    }
}
