package dev.infinitemap.map;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A hash map from packed cells (longs) to values, with open addressing and linear probing:
 * two arrays and no object per entry, so a million cells cost about 16 MB of table plus the
 * values themselves. Not thread-safe. Values are never null.
 */
final class LongObjectMap<V> {

    private static final float LOAD = 0.6f;

    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;

    LongObjectMap() {
        this(16);
    }

    LongObjectMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, (int) (expected / LOAD)) - 1) << 1;
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        for (int i = slot(key); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** @return the previous value, or null */
    @SuppressWarnings("unchecked")
    V put(long key, V value) {
        int i = slot(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V previous = (V) values[i];
                values[i] = value;
                return previous;
            }
        }
        keys[i] = key;
        values[i] = value;
        if (++size > LOAD * keys.length) {
            resize(keys.length << 1);
        }
        return null;
    }

    int capacity() {
        return keys.length;
    }

    /** Removes every entry, keeping the capacity. */
    void clear() {
        if (size > 0) {
            Arrays.fill(values, null);
            size = 0;
        }
    }

    /** @return the removed value, or null */
    @SuppressWarnings("unchecked")
    V remove(long key) {
        for (int i = slot(key); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V previous = (V) values[i];
                closeGap(i);
                size--;
                return previous;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    void forEach(Consumer<V> action) {
        for (Object value : values) {
            if (value != null) {
                action.accept((V) value);
            }
        }
    }

    /** Receives one entry of the map. */
    interface EntryConsumer<V> {
        void accept(long key, V value);
    }

    /** Calls the action with every entry; the map must not change meanwhile. */
    @SuppressWarnings("unchecked")
    void forEachEntry(EntryConsumer<V> action) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                action.accept(keys[i], (V) values[i]);
            }
        }
    }

    // Backward-shift deletion: later entries of the same probe run move into the gap, so
    // lookups never need tombstones.
    private void closeGap(int gap) {
        int i = gap;
        while (true) {
            i = (i + 1) & mask;
            if (values[i] == null) {
                break;
            }
            int home = slot(keys[i]);
            boolean movable = gap <= i ? (home <= gap || home > i) : (home <= gap && home > i);
            if (movable) {
                keys[gap] = keys[i];
                values[gap] = values[i];
                gap = i;
            }
        }
        values[gap] = null;
    }

    private void resize(int capacity) {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                int j = slot(oldKeys[i]);
                while (values[j] != null) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
            }
        }
    }

    // Packed cells are highly regular (neighbouring x and y); mix all 64 bits before masking.
    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
