package dev.infinitemap.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;

/**
 * A shared log in memory, as the engine's would be: records in append order, compaction to each
 * key's latest record, and readers that see it with the faults a log and its clients have:
 * layers interleaved in any order, records delivered twice, a range read again after a rewind.
 */
final class MemoryLog {

    final List<Object> records = new ArrayList<>(); // LayerRecord or RuntimeRecord, in append order

    /** One runtime writing its compositors' deltas, and the truth about its layers. */
    final class Origin {
        final String runtime;
        final long epoch;
        final Map<String, Map<Long, Tile>> truth = new LinkedHashMap<>();
        final Map<String, Long> sequences = new HashMap<>();

        Origin(String runtime, long epoch) {
            this.runtime = runtime;
            this.epoch = epoch;
        }

        /** Appends one delta: a record per cell, put or removed. */
        void delta(String compositor, int layer, Map<Long, Tile> cells) {
            long sequence = sequences.merge(compositor, 1L, Long::sum);
            Map<Long, Tile> own = truth.computeIfAbsent(compositor, c -> new HashMap<>());
            for (Map.Entry<Long, Tile> cell : cells.entrySet()) {
                records.add(new LayerRecord(runtime, epoch, compositor, layer, sequence, cells.size(), cell.getKey(), cell.getValue()));
                if (cell.getValue() == null) {
                    own.remove(cell.getKey());
                } else {
                    own.put(cell.getKey(), cell.getValue());
                }
            }
        }

        /** A delta of random puts and removals of cells in a small square, so that cells are touched again and again. */
        void randomDelta(Random random, String compositor, int layer) {
            Map<Long, Tile> cells = new LinkedHashMap<>();
            int size = 1 + random.nextInt(6);
            Map<Long, Tile> own = truth.getOrDefault(compositor, Map.of());
            while (cells.size() < size) {
                int x = random.nextInt(8);
                int y = random.nextInt(8);
                long cell = CellKey.pack(x, y);
                boolean remove = own.containsKey(cell) && random.nextInt(3) == 0;
                cells.put(cell, remove ? null : new Tile(x, y, "b" + random.nextInt(5) + ".png", random.nextInt(100)));
            }
            delta(compositor, layer, cells);
        }

        void online() {
            records.add(new RuntimeRecord(runtime, epoch, RuntimeRecord.State.ONLINE, RuntimeRecord.OnDeath.REMOVE));
        }
    }

    Origin origin(String runtime, long epoch) {
        return new Origin(runtime, epoch);
    }

    /** Keeps each key's latest record and, when asked, drops tombstones too (past their retention); order stays. */
    List<Object> compacted(List<Object> log, boolean dropTombstones) {
        Map<Object, Integer> latest = new HashMap<>();
        for (int i = 0; i < log.size(); i++) {
            Object record = log.get(i);
            latest.put(record instanceof LayerRecord cell ? cell.key() : ((RuntimeRecord) record).runtime(), i);
        }
        List<Object> kept = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            Object record = log.get(i);
            Object key = record instanceof LayerRecord cell ? cell.key() : ((RuntimeRecord) record).runtime();
            if (latest.get(key) == i && !(dropTombstones && record instanceof LayerRecord cell && cell.tile() == null)) {
                kept.add(record);
            }
        }
        return kept;
    }

    /**
     * The records as a reader may get them: each layer's (and the runtimes') own order kept, the
     * streams interleaved at random, some records twice in a row, now and then a stretch of a
     * stream read again from an earlier point, and now and then an earlier record again, late.
     */
    static List<Object> delivered(List<Object> log, Random random) {
        Map<Object, List<Object>> streams = new LinkedHashMap<>();
        for (Object record : log) {
            Object stream = record instanceof LayerRecord cell ? cell.runtime() + "/" + cell.compositor() : "runtimes";
            streams.computeIfAbsent(stream, s -> new ArrayList<>()).add(record);
        }
        Map<Object, Integer> next = new HashMap<>();
        List<Object> open = new ArrayList<>(streams.keySet());
        List<Object> out = new ArrayList<>();
        while (!open.isEmpty()) {
            Object stream = open.get(random.nextInt(open.size()));
            List<Object> records = streams.get(stream);
            int at = next.getOrDefault(stream, 0);
            out.add(records.get(at));
            if (random.nextInt(10) == 0) {
                out.add(records.get(at)); // delivered twice
            }
            if (random.nextInt(25) == 0 && at > 0) {
                out.addAll(records.subList(Math.max(0, at - 1 - random.nextInt(4)), at + 1)); // a rewind, read again
            }
            if (random.nextInt(20) == 0 && at > 0) {
                out.add(records.get(random.nextInt(at))); // an earlier record again, alone and late (a writer's retry)
            }
            next.put(stream, at + 1);
            if (at + 1 == records.size()) {
                open.remove(stream);
            }
        }
        return out;
    }

    /** A map in memory that applies deltas as the real one does: per layer, a sequence it already reached is skipped. */
    static final class LocalMap {
        final Map<String, Map<Long, Tile>> layers = new HashMap<>();
        final Map<String, Long> sequences = new HashMap<>();
        final Set<String> skipped = new HashSet<>();
        int deltas;

        void apply(dev.infinitemap.api.TileDelta delta) {
            deltas++;
            Long last = sequences.get(delta.compositor());
            if (last != null && delta.sequence() <= last) {
                skipped.add(delta.compositor() + " #" + delta.sequence());
                return;
            }
            sequences.put(delta.compositor(), delta.sequence());
            Map<Long, Tile> own = layers.computeIfAbsent(delta.compositor(), c -> new HashMap<>());
            for (long cell : delta.removedCells()) {
                own.remove(cell);
            }
            for (Tile tile : delta.upserts()) {
                own.put(tile.cell(), tile);
            }
        }

        Map<Long, Tile> layer(String name) {
            return layers.getOrDefault(name, Map.of());
        }
    }
}
