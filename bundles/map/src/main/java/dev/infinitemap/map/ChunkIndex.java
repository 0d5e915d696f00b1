package dev.infinitemap.map;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;

import dev.infinitemap.api.CellKey;

/**
 * Which cells of the composed map hold a tile, grouped in chunks of 16 × 16 cells (a 256-bit
 * set per chunk), so that a rectangle or an overview costs about what it returns instead of a
 * walk of the whole map. Cells in a chunk are in row order; chunks are visited in row order of
 * chunk coordinates, which makes "the first tile of a square" depend on the map's content only,
 * never on the order it was built in. Not thread-safe: the owner serialises access.
 */
final class ChunkIndex {

    static final int SHIFT = 4;
    static final int SIDE = 1 << SHIFT;

    private final LongObjectMap<long[]> chunks = new LongObjectMap<>();

    void add(long cell) {
        long key = chunkOf(cell);
        long[] bits = chunks.get(key);
        if (bits == null) {
            bits = new long[SIDE * SIDE / 64];
            chunks.put(key, bits);
        }
        int bit = bitOf(cell);
        bits[bit >>> 6] |= 1L << bit;
    }

    void remove(long cell) {
        long key = chunkOf(cell);
        long[] bits = chunks.get(key);
        if (bits == null) {
            return;
        }
        int bit = bitOf(cell);
        bits[bit >>> 6] &= ~(1L << bit);
        if ((bits[0] | bits[1] | bits[2] | bits[3]) == 0) {
            chunks.remove(key);
        }
    }

    int chunkCount() {
        return chunks.size();
    }

    /**
     * @return {x0, y0, x1, y1} of the occupied cells, or null when there are none: the extreme
     *         chunks are found first, then only those chunks' bits are looked at
     */
    int[] bounds() {
        if (chunks.size() == 0) {
            return null;
        }
        int[] edge = { Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE }; // in chunks
        chunks.forEachEntry((key, bits) -> {
            edge[0] = Math.min(edge[0], CellKey.x(key));
            edge[1] = Math.min(edge[1], CellKey.y(key));
            edge[2] = Math.max(edge[2], CellKey.x(key));
            edge[3] = Math.max(edge[3], CellKey.y(key));
        });
        int[] cells = { Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE };
        chunks.forEachEntry((key, bits) -> {
            int cx = CellKey.x(key);
            int cy = CellKey.y(key);
            if (cx == edge[0] || cy == edge[1] || cx == edge[2] || cy == edge[3]) {
                walk(cx, cy, Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, c -> {
                    cells[0] = Math.min(cells[0], CellKey.x(c));
                    cells[1] = Math.min(cells[1], CellKey.y(c));
                    cells[2] = Math.max(cells[2], CellKey.x(c));
                    cells[3] = Math.max(cells[3], CellKey.y(c));
                    return true;
                });
            }
        });
        return cells;
    }

    /** Every occupied cell of an inclusive rectangle, by chunk in row order, then in row order inside its chunk. */
    void cellsIn(int x0, int y0, int x1, int y1, LongConsumer cell) {
        for (long[] chunk : chunksIn(x0 >> SHIFT, y0 >> SHIFT, x1 >> SHIFT, y1 >> SHIFT)) {
            walk((int) chunk[0], (int) chunk[1], x0, y0, x1, y1, c -> {
                cell.accept(c);
                return true;
            });
        }
    }

    /**
     * One occupied cell per square of {@code 2^shift} cells a side (squares aligned to multiples of
     * it) that overlaps the inclusive rectangle: the first of the square's cells in the order of
     * {@link #cellsIn} that {@code shows}, which is asked right before that cell is given. A square
     * of a chunk or more costs one look per chunk (as long as {@code shows} says yes), not per cell.
     */
    void firstPerSquare(int x0, int y0, int x1, int y1, int shift, LongPredicate shows, LongConsumer cell) {
        LongObjectMap<Boolean> taken = new LongObjectMap<>();
        if (shift >= SHIFT) {
            for (long[] chunk : chunksIn(x0 >> SHIFT, y0 >> SHIFT, x1 >> SHIFT, y1 >> SHIFT)) {
                int cx = (int) chunk[0];
                int cy = (int) chunk[1];
                long square = CellKey.pack(cx >> (shift - SHIFT), cy >> (shift - SHIFT));
                if (taken.get(square) == null) {
                    long first = firstIn(cx, cy, x0, y0, x1, y1, shows);
                    if (first != Long.MIN_VALUE) {
                        taken.put(square, Boolean.TRUE);
                        cell.accept(first);
                    }
                }
            }
        } else {
            cellsIn(x0, y0, x1, y1, c -> {
                long square = CellKey.pack(CellKey.x(c) >> shift, CellKey.y(c) >> shift);
                if (taken.get(square) == null && shows.test(c)) {
                    taken.put(square, Boolean.TRUE);
                    cell.accept(c);
                }
            });
        }
    }

    /** The first occupied cell of a chunk inside the rectangle that {@code shows}, or {@code Long.MIN_VALUE}. */
    private long firstIn(int cx, int cy, int x0, int y0, int x1, int y1, LongPredicate shows) {
        long[] first = { Long.MIN_VALUE };
        walk(cx, cy, x0, y0, x1, y1, c -> {
            if (!shows.test(c)) {
                return true;
            }
            first[0] = c;
            return false;
        });
        return first[0];
    }

    /** Gives the occupied cells of a chunk inside the rectangle, in row order, while {@code more} says so. */
    private void walk(int cx, int cy, int x0, int y0, int x1, int y1, LongPredicate more) {
        long[] bits = chunks.get(CellKey.pack(cx, cy));
        for (int word = 0; word < bits.length; word++) {
            for (long w = bits[word]; w != 0; w &= w - 1) {
                int bit = (word << 6) + Long.numberOfTrailingZeros(w);
                int x = (cx << SHIFT) + (bit & (SIDE - 1));
                int y = (cy << SHIFT) + (bit >>> SHIFT);
                if (x >= x0 && x <= x1 && y >= y0 && y <= y1 && !more.test(CellKey.pack(x, y))) {
                    return;
                }
            }
        }
    }

    /**
     * The occupied chunks of an inclusive rectangle of chunk coordinates as {cx, cy} pairs in row
     * order: looked up one by one when the rectangle has fewer chunks than the map, else filtered
     * from all of them and sorted.
     */
    private List<long[]> chunksIn(int cx0, int cy0, int cx1, int cy1) {
        List<long[]> found = new ArrayList<>();
        double area = ((double) cx1 - cx0 + 1) * ((double) cy1 - cy0 + 1);
        if (area <= chunks.size()) {
            for (long cy = cy0; cy <= cy1; cy++) {
                for (long cx = cx0; cx <= cx1; cx++) {
                    if (chunks.get(CellKey.pack((int) cx, (int) cy)) != null) {
                        found.add(new long[] { cx, cy });
                    }
                }
            }
        } else {
            chunks.forEachEntry((key, bits) -> {
                int cx = CellKey.x(key);
                int cy = CellKey.y(key);
                if (cx >= cx0 && cx <= cx1 && cy >= cy0 && cy <= cy1) {
                    found.add(new long[] { cx, cy });
                }
            });
            found.sort((a, b) -> a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[0], b[0]));
        }
        return found;
    }

    private static long chunkOf(long cell) {
        return CellKey.pack(CellKey.x(cell) >> SHIFT, CellKey.y(cell) >> SHIFT);
    }

    private static int bitOf(long cell) {
        return ((CellKey.y(cell) & (SIDE - 1)) << SHIFT) | (CellKey.x(cell) & (SIDE - 1));
    }
}
