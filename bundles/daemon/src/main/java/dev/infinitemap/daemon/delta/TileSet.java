package dev.infinitemap.daemon.delta;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.infinitemap.api.Tile;

/**
 * A compositor's tiles, sorted by cell in two parallel arrays: compact (no per-tile map entry,
 * no boxed key) and diffable in one merge pass.
 */
public final class TileSet {

    public static final TileSet EMPTY = new TileSet(new long[0], new Tile[0]);

    private final long[] cells;
    private final Tile[] tiles;

    private TileSet(long[] cells, Tile[] tiles) {
        this.cells = cells;
        this.tiles = tiles;
    }

    /**
     * @param tiles at most one tile per cell
     * @throws IllegalArgumentException naming a cell that has two tiles
     */
    public static TileSet of(List<Tile> tiles) {
        Tile[] sorted = tiles.toArray(new Tile[0]);
        Arrays.sort(sorted, Comparator.comparingLong(Tile::cell));
        long[] cells = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            cells[i] = sorted[i].cell();
            if (i > 0 && cells[i] == cells[i - 1]) {
                throw new IllegalArgumentException("cell " + sorted[i].key() + " has two tiles");
            }
        }
        return new TileSet(cells, sorted);
    }

    public int size() {
        return tiles.length;
    }

    public List<Tile> tiles() {
        return List.of(tiles);
    }

    public long[] cells() {
        return cells.clone();
    }

    /** What turns {@code before} into {@code after}: tiles added or changed, and cells removed. */
    public record Diff(List<Tile> put, long[] removed) {
        /** @return true when nothing changes */
        public boolean isEmpty() {
            return put.isEmpty() && removed.length == 0;
        }
    }

    public static Diff diff(TileSet before, TileSet after) {
        List<Tile> put = new ArrayList<>();
        long[] removed = new long[before.cells.length];
        int removedCount = 0;
        int i = 0;
        int j = 0;
        while (i < before.cells.length || j < after.cells.length) {
            if (j == after.cells.length || (i < before.cells.length && before.cells[i] < after.cells[j])) {
                removed[removedCount++] = before.cells[i++];
            } else if (i == before.cells.length || after.cells[j] < before.cells[i]) {
                put.add(after.tiles[j++]);
            } else {
                if (!before.tiles[i].equals(after.tiles[j])) {
                    put.add(after.tiles[j]);
                }
                i++;
                j++;
            }
        }
        return new Diff(put, Arrays.copyOf(removed, removedCount));
    }
}
