package dev.infinitemap.api.map;

import java.util.List;

/**
 * What one applied delta changed in the composed map: every cell whose top tile changed,
 * all under one revision, and the cells where only tiles below the top changed (which a viewer
 * that hides some compositors may show).
 */
public final class MapChange {

    private final long revision;
    private final String compositor;
    private final List<PlacedTile> put;
    private final long[] removed;
    private final long[] changedBelow;

    private static final long[] NONE = {};

    /**
     * @param revision the map revision this change produced
     * @param compositor the compositor whose delta made this change
     * @param put cells whose top tile is new or different
     * @param removed cells that no longer have any tile, packed as by
     *        {@link dev.infinitemap.api.CellKey#pack(int, int)}
     */
    public MapChange(long revision, String compositor, List<PlacedTile> put, long[] removed) {
        this(revision, compositor, put, removed.clone(), NONE);
    }

    /**
     * A change that keeps the two arrays as they are, without a copy: the caller must not change
     * them afterwards (the getters hand out copies).
     *
     * @param revision the map revision this change produced
     * @param compositor the compositor whose delta made this change
     * @param put cells whose top tile is new or different
     * @param removed cells that no longer have any tile, packed as by
     *        {@link dev.infinitemap.api.CellKey#pack(int, int)}
     * @param changedBelow cells where the compositor's tile changed (or went) below another
     *        compositor's, whose top tile stayed, packed likewise
     * @throws NullPointerException when an argument is null
     * @since 1.5
     */
    public MapChange(long revision, String compositor, List<PlacedTile> put, long[] removed, long[] changedBelow) {
        // Kept, not copied: the map makes these arrays for this change alone, at their length.
        this.revision = revision;
        this.compositor = compositor;
        this.put = List.copyOf(put);
        this.removed = removed.length == 0 ? NONE : removed;
        this.changedBelow = changedBelow.length == 0 ? NONE : changedBelow;
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

    /**
     * @return a copy of the cells where the compositor's tile changed below another compositor's
     *         top tile, which stayed: the composed map did not change there, but the map without
     *         the top tile's compositor did
     * @since 1.5
     */
    public long[] changedBelowCells() {
        return changedBelow.clone();
    }

    /**
     * @return how many cells changed below their top tile
     * @since 1.5
     */
    public int changedBelowCount() {
        return changedBelow.length;
    }

    @Override
    public String toString() {
        return "MapChange[r" + revision + " by " + compositor + ": " + put.size() + " put, " + removed.length + " removed"
                + (changedBelow.length == 0 ? "" : ", " + changedBelow.length + " changed below") + "]";
    }
}
