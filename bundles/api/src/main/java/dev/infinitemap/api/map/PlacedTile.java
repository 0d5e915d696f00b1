package dev.infinitemap.api.map;

import java.util.Objects;

import dev.infinitemap.api.Tile;

/**
 * A tile as the composed map shows it: the tile and the compositor and layer it came from.
 *
 * @param tile the tile
 * @param compositor the name of the compositor that placed it
 * @param layer that compositor's layer
 */
public record PlacedTile(Tile tile, String compositor, int layer) {

    /** Creates a placed tile. */
    public PlacedTile {
        Objects.requireNonNull(tile, "tile");
        Objects.requireNonNull(compositor, "compositor");
    }

    /**
     * Whether this tile covers another one in the same cell: a higher layer covers a lower
     * one; on the same layer the more recent timestamp wins, and on a full tie the compositor
     * name decides, so the result never depends on the order deltas arrived in. (A map shared
     * by several runtimes decides a full tie by {@code compositor@runtime} instead, the same
     * string on every runtime.)
     *
     * @param other the tile of another compositor in the same cell
     * @return true when this tile is the one shown
     */
    public boolean covers(PlacedTile other) {
        if (layer != other.layer) {
            return layer > other.layer;
        }
        int byTime = Double.compare(tile.timestamp(), other.tile.timestamp());
        return byTime != 0 ? byTime > 0 : compositor.compareTo(other.compositor) >= 0;
    }
}
