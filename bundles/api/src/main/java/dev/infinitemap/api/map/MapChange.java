package dev.infinitemap.api.map;

import java.util.List;

/**
 * What one applied delta changed in the composed map: every cell whose top tile changed,
 * all under one revision.
 */
public final class MapChange {

    private final long revision;
    private final String compositor;
    private final List<PlacedTile> put;
    private final long[] removed;

    /**
     * @param revision the map revision this change produced
     * @param compositor the compositor whose delta made this change
     * @param put cells whose top tile is new or different
     * @param removed cells that no longer have any tile, packed as by
     *        {@link dev.infinitemap.api.CellKey#pack(int, int)}
     */
    public MapChange(long revision, String compositor, List<PlacedTile> put, long[] removed) {
        this.revision = revision;
        this.compositor = compositor;
        this.put = List.copyOf(put);
        this.removed = removed.clone();
    }

    /** @return the map revision this change produced */
    public long revision() {
        return revision;
    }

    /**
     * @return the compositor whose delta made this change; the tiles put may also be another
     *         compositor's, uncovered where this one's went away
     */
    public String compositor() {
        return compositor;
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
        return "MapChange[r" + revision + " by " + compositor + ": " + put.size() + " put, " + removed.length + " removed]";
    }
}
