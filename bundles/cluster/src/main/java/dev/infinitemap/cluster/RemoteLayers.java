package dev.infinitemap.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;

/**
 * What one runtime makes of the shared log: the other runtimes' layers, as deltas for its own
 * map. Records come in log order per layer (the engine keeps a layer in one partition); layers
 * may interleave in any order, since composition does not depend on it.
 * <ul>
 * <li>A runtime's own records are skipped: its map has them already.</li>
 * <li>Each record holds a cell's whole state, so applying one twice is harmless; a record of a
 * delta already applied, or of an older incarnation than one seen, is dropped.</li>
 * <li>Live, the records of one delta are gathered until all its parts have come, then posted
 * as one delta; a later delta of the layer posts an unfinished one as it is (its missing cells
 * were overwritten since, which is what compaction does).</li>
 * <li>Catching up, the records up to the log's end are folded into each layer's state, and
 * {@link #caughtUp()} posts one delta per layer: the map then holds exactly what the log held.
 * A delta the end cut in two (a big one spans transactions) is posted once all its parts came.</li>
 * <li>A runtime declared gone takes its tiles along (remove) or leaves them (keep), at the point
 * of the log where the decision is; what that incarnation writes after it is dropped.</li>
 * </ul>
 * Deltas to the map are numbered by this class, per layer, from a start taken from the clock:
 * the map's own rule against applying a delta twice then holds for them, and a remote clock
 * never decides what this map skips. Not thread-safe: the engine's one reader thread calls it.
 */
final class RemoteLayers {

    /** The name a remote compositor's layer has in this runtime's map: unique across runtimes. */
    static String localName(String compositor, String runtime) {
        return compositor + "@" + runtime;
    }

    /** One remote layer as the status shows it. */
    record RemoteLayer(String name, String runtime, String compositor, int layer, long epoch, int tiles, boolean kept) {
    }

    private static final class Layer {
        final String runtime;
        final String compositor;
        final String name;
        int layer;
        long epoch;
        long applied = Long.MIN_VALUE; // the sequence of the last delta applied, or folded in while catching up
        long localSequence;
        Pending pending;
        Map<Long, Tile> shadow = new HashMap<>(); // while catching up: the layer's cells so far
        final Set<Long> held = new HashSet<>(); // after: the cells the map has from it, to remove when it goes
        boolean kept; // its runtime is gone and its tiles stay

        Layer(String runtime, String compositor, long epoch, long firstSequence) {
            this.runtime = runtime;
            this.compositor = compositor;
            this.name = localName(compositor, runtime);
            this.epoch = epoch;
            this.localSequence = firstSequence;
        }
    }

    /** A delta whose records are coming: each cell's latest state, null for removed. */
    private record Pending(long sequence, int parts, Map<Long, Tile> cells) {
    }

    private record LayerKey(String runtime, String compositor) {
    }

    private final String self;
    private final Consumer<TileDelta> map;
    private final long firstSequence;
    private final Map<LayerKey, Layer> layers = new LinkedHashMap<>();
    private final Map<String, Long> epochs = new HashMap<>(); // the latest incarnation heard of, per runtime
    private final Map<String, RuntimeRecord> gone = new HashMap<>(); // the latest decision that a runtime went
    private final Map<String, Long> numbered = new HashMap<>(); // per local name of a layer that went, its last delta's number
    private boolean caughtUp;
    private long dropped;
    private long unfinished;

    /**
     * @param self this runtime's id
     * @param map takes the deltas for this runtime's map
     * @param firstSequence the sequence after which this class numbers its deltas, from the clock
     */
    RemoteLayers(String self, Consumer<TileDelta> map, long firstSequence) {
        this.self = self;
        this.map = map;
        this.firstSequence = firstSequence;
    }

    boolean isCaughtUp() {
        return caughtUp;
    }

    /** @return records dropped as already applied or from an incarnation since replaced */
    long dropped() {
        return dropped;
    }

    /** @return deltas posted live before all their parts came */
    long unfinished() {
        return unfinished;
    }

    void record(LayerRecord record) {
        if (record.runtime().equals(self)) {
            return;
        }
        RuntimeRecord went = gone.get(record.runtime());
        long newest = epochs.getOrDefault(record.runtime(), Long.MIN_VALUE);
        // A gone incarnation's records after the decision (it was paused, and wrote before it
        // read that it was gone) are dropped by every reader at the same point of the log, kept or not.
        if (record.epoch() < newest || went != null && record.epoch() <= went.epoch()) {
            dropped++;
            return;
        }
        LayerKey key = new LayerKey(record.runtime(), record.compositor());
        Layer layer = layers.get(key);
        if (layer == null) {
            // A layer that went and comes back continues its numbers: the map skips what it reached.
            long after = numbered.getOrDefault(localName(record.compositor(), record.runtime()), firstSequence);
            layer = new Layer(record.runtime(), record.compositor(), record.epoch(), after);
            layers.put(key, layer);
        } else if (record.epoch() < layer.epoch) {
            dropped++;
            return;
        } else if (record.epoch() > layer.epoch) {
            flush(layer); // a new incarnation numbers its deltas afresh
            layer.epoch = record.epoch();
            layer.applied = Long.MIN_VALUE;
            layer.kept = false;
        }
        if (record.sequence() <= layer.applied || layer.pending != null && record.sequence() < layer.pending.sequence()) {
            dropped++;
            return;
        }
        if (layer.pending != null && record.sequence() != layer.pending.sequence()) {
            if (caughtUp) {
                unfinished++;
            }
            flush(layer);
        }
        if (layer.pending == null) {
            layer.pending = new Pending(record.sequence(), record.parts(), new LinkedHashMap<>());
        }
        layer.layer = record.layer();
        layer.pending.cells().put(record.cell(), record.tile());
        if (layer.pending.cells().size() >= layer.pending.parts()) {
            flush(layer);
        }
    }

    void runtime(RuntimeRecord record) {
        if (record.runtime().equals(self)) {
            return;
        }
        epochs.merge(record.runtime(), record.epoch(), Math::max);
        if (record.state() != RuntimeRecord.State.GONE) {
            return;
        }
        RuntimeRecord before = gone.get(record.runtime());
        if (before != null && before.epoch() >= record.epoch()) {
            return; // decided already: a second decider's record changes nothing
        }
        gone.put(record.runtime(), record);
        for (var entries = layers.values().iterator(); entries.hasNext();) {
            Layer layer = entries.next();
            if (!layer.runtime.equals(record.runtime()) || layer.epoch > record.epoch()) {
                continue;
            }
            if (record.onDeath() == RuntimeRecord.OnDeath.KEEP) {
                flush(layer); // kept as the log holds it, as a runtime catching up later folds it
                layer.kept = true;
                continue;
            }
            layer.pending = null; // a delta it died writing is never shown: its tiles go now anyway
            if (caughtUp && !layer.held.isEmpty()) {
                map.accept(new TileDelta(layer.name, layer.layer, ++layer.localSequence, List.of(),
                        layer.held.stream().mapToLong(Long::longValue).toArray()));
            }
            numbered.put(layer.name, layer.localSequence);
            entries.remove();
        }
    }

    /** The log's end as it was when catching up began has been read: the map gets every layer at once, then each change live. */
    void caughtUp() {
        if (caughtUp) {
            return;
        }
        // A delta with parts missing at the end: compaction took them (each was overwritten, or a
        // removal old enough), or the end cut the delta, as a big one spans transactions. What
        // came is folded in; the rest, if it comes, is posted live as soon as all of it is in.
        for (Layer layer : layers.values()) {
            Pending cut = layer.pending;
            if (cut != null) {
                layer.pending = null;
                fold(layer, cut);
                int missing = cut.parts() - cut.cells().size();
                layer.pending = missing > 0 ? new Pending(cut.sequence(), missing, new LinkedHashMap<>()) : null;
            }
        }
        caughtUp = true;
        for (Layer layer : layers.values()) {
            Map<Long, Tile> cells = layer.shadow;
            layer.shadow = null;
            if (!cells.isEmpty()) {
                layer.held.addAll(cells.keySet());
                map.accept(new TileDelta(layer.name, layer.layer, ++layer.localSequence, new ArrayList<>(cells.values()), new long[0]));
            }
        }
    }

    /** @return the remote layers, by name */
    List<RemoteLayer> layers() {
        return layers.values().stream()
                .map(l -> new RemoteLayer(l.name, l.runtime, l.compositor, l.layer, l.epoch, caughtUp ? l.held.size() : l.shadow.size(), l.kept))
                .sorted(Comparator.comparing(RemoteLayer::name)).toList();
    }

    private static void fold(Layer layer, Pending pending) {
        pending.cells().forEach((cell, tile) -> {
            if (tile == null) {
                layer.shadow.remove(cell);
            } else {
                layer.shadow.put(cell, tile);
            }
        });
    }

    // The layer's pending delta, whole or not: folded into its state while catching up, else posted.
    private void flush(Layer layer) {
        Pending pending = layer.pending;
        if (pending == null) {
            return;
        }
        layer.pending = null;
        layer.applied = pending.sequence();
        if (!caughtUp) {
            fold(layer, pending);
            return;
        }
        List<Tile> put = new ArrayList<>();
        long[] removed = new long[pending.cells().size()];
        int removedCount = 0;
        for (Map.Entry<Long, Tile> cell : pending.cells().entrySet()) {
            if (cell.getValue() == null) {
                if (layer.held.remove(cell.getKey())) {
                    removed[removedCount++] = cell.getKey();
                }
            } else {
                layer.held.add(cell.getKey());
                put.add(cell.getValue());
            }
        }
        if (!put.isEmpty() || removedCount > 0) {
            map.accept(new TileDelta(layer.name, layer.layer, ++layer.localSequence, put, java.util.Arrays.copyOf(removed, removedCount)));
        }
    }
}
