package dev.infinitemap.api.compositor;

import java.util.Collection;

import org.osgi.annotation.versioning.ProviderType;

import dev.infinitemap.api.Tile;

/**
 * A compositor's own layer of the map. Each call becomes one atomic delta.
 */
@ProviderType
public interface TileCanvas {

    /** @return the name of the compositor this canvas belongs to */
    String compositor();

    /** @return the layer this canvas draws on */
    int layer();

    /**
     * Makes the layer hold exactly these tiles: the runtime publishes the difference to what
     * it held before (cells added, changed and removed) as one delta.
     *
     * @param tiles the complete content of the layer; at most one tile per cell
     * @throws IllegalArgumentException when two tiles share a cell
     */
    void draw(Collection<Tile> tiles);

    /**
     * Changes some cells and leaves the others alone, as one delta.
     *
     * @param put tiles to add or change
     * @param removedCells cells to clear, packed as by
     *        {@link dev.infinitemap.api.CellKey#pack(int, int)}
     */
    void update(Collection<Tile> put, long... removedCells);

    /** Removes every tile of this layer, as one delta. */
    void clear();
}
