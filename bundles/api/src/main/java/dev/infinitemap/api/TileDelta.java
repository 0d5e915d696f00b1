package dev.infinitemap.api;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One atomic change of one compositor's layer: tiles put (added or changed) and cells removed.
 * <p>
 * Deltas of a compositor carry consecutive sequence numbers starting at 1, so a receiver can
 * tell a delta it already applied (safe to apply twice) from one it missed.
 */
public final class TileDelta {

    private final String compositor;
    private final int layer;
    private final long sequence;
    private final List<Tile> upserts;
    private final long[] removals;

    /**
     * Creates a delta.
     *
     * @param compositor the name of the compositor whose layer changes
     * @param layer the layer of that compositor
     * @param sequence this delta's number in the compositor's sequence, from 1
     * @param upserts tiles added or changed
     * @param removals cells removed, packed as by {@link CellKey#pack(int, int)}
     */
    public TileDelta(String compositor, int layer, long sequence, List<Tile> upserts, long[] removals) {
        this.compositor = Objects.requireNonNull(compositor, "compositor");
        this.layer = layer;
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be 1 or more, was " + sequence);
        }
        this.sequence = sequence;
        this.upserts = List.copyOf(upserts);
        this.removals = removals.clone();
    }

    /** @return the name of the compositor whose layer changes */
    public String compositor() {
        return compositor;
    }

    /** @return the layer of that compositor; higher layers cover lower ones */
    public int layer() {
        return layer;
    }

    /** @return this delta's number in its compositor's sequence, from 1 */
    public long sequence() {
        return sequence;
    }

    /** @return the tiles added or changed, unmodifiable */
    public List<Tile> upserts() {
        return upserts;
    }

    /** @return a copy of the removed cells, packed as by {@link CellKey#pack(int, int)} */
    public long[] removedCells() {
        return removals.clone();
    }

    /** @return how many cells this delta removes */
    public int removedCellCount() {
        return removals.length;
    }

    /** @return true when the delta changes nothing */
    public boolean isEmpty() {
        return upserts.isEmpty() && removals.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TileDelta other && compositor.equals(other.compositor) && layer == other.layer
                && sequence == other.sequence && upserts.equals(other.upserts) && Arrays.equals(removals, other.removals);
    }

    @Override
    public int hashCode() {
        return Objects.hash(compositor, layer, sequence, upserts, Arrays.hashCode(removals));
    }

    @Override
    public String toString() {
        return "TileDelta[" + compositor + "@" + layer + " #" + sequence + ": " + upserts.size() + " put, "
                + removals.length + " removed]";
    }
}
