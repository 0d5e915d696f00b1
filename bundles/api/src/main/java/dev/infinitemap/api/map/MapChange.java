package dev.infinitemap.api.map;

import java.util.List;

/**
 * What one applied delta changed in the composed map: every cell whose top tile changed,
 * all under one revision.
 */
public final class MapChange {

    private final long revision;
    private final List<PlacedTile> put;
    private final long[] removed;

    /**
     * @param revision the map revision this change produced
     * @param put cells whose top tile is new or different
     * @param removed cells that no longer have any tile, packed as by
     *        {@link dev.infinitemap.api.CellKey#pack(int, int)}
     */
    public MapChange(long revision, List<PlacedTile> put, long[] removed) {
        this.revision = revision;
        this.put = List.copyOf(put);
        this.removed = removed.clone();
    }

    /** @return the map revision this change produced */
    public long revision() {
        return revision;
    }

    /** @return cells whose top tile is new or different, unmodifiable */
    public List<PlacedTile> put() {
        return put;
    }

    /** @return a copy of the cells that became empty */
    public long[] removedCells() {
        return removed.clone();
    }

    /** @return how many cells became empty */
    public int removedCellCount() {
        return removed.length;
    }

    @Override
    public String toString() {
        return "MapChange[r" + revision + ": " + put.size() + " put, " + removed.length + " removed]";
    }
}
