package dev.infinitemap.api.map;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The composed infinite map: per cell the tile of the highest layer. Registered as a service
 * by the InfiniteMap bundle.
 */
@ProviderType
public interface InfiniteMap {

    /**
     * The revision grows by one per applied delta. A run of the map starts from a revision
     * taken from the clock (microseconds since the epoch), so every revision of a later run is
     * greater than those of an earlier one: a viewer that reconnects across a restart with an
     * old revision is told to take a snapshot instead of missing changes.
     *
     * @return the revision of the last applied delta, or the starting revision before the first
     */
    long revision();

    /** @return how many cells hold a tile */
    int tileCount();

    /**
     * @param x the column
     * @param y the row
     * @return the top tile of that cell, if any
     */
    Optional<PlacedTile> tile(int x, int y);

    /**
     * The top tiles in an inclusive rectangle, with the revision they belong to.
     *
     * @param x0 left column
     * @param y0 top row
     * @param x1 right column, at least x0
     * @param y1 bottom row, at least y0
     * @return the tiles and their revision
     */
    Snapshot tiles(int x0, int y0, int x1, int y1);

    /**
     * An overview of an inclusive rectangle: one top tile per square of {@code 2^shift} cells a
     * side (squares aligned to multiples of {@code 2^shift}) that holds any, for drawing the map
     * zoomed out. The tile chosen for a square depends on the map's content only, so the same
     * content always gives the same overview; the cost follows the squares returned and the
     * chunks of 16 × 16 cells looked at, not the size of the map.
     *
     * @param x0 left column
     * @param y0 top row
     * @param x1 right column, at least x0
     * @param y1 bottom row, at least y0
     * @param shift the size of a square as a power of two, 0 (one cell) to 31
     * @return one tile per occupied square, with the revision they belong to
     * @since 1.2
     */
    Snapshot overview(int x0, int y0, int x1, int y1, int shift);

    /**
     * The map as it shows without some compositors, for a viewer that hides them: per cell of an
     * inclusive rectangle the tile that covers all the others' tiles there; a cell that holds only
     * hidden compositors' tiles is left out. The cost follows the cells in the rectangle that hold
     * any tile, and in those the number of compositors.
     *
     * @param x0 left column
     * @param y0 top row
     * @param x1 right column, at least x0
     * @param y1 bottom row, at least y0
     * @param hidden the names of the compositors left out; empty gives {@link #tiles(int, int, int, int)}
     * @return the tiles and their revision
     * @since 1.5
     */
    Snapshot tiles(int x0, int y0, int x1, int y1, Set<String> hidden);

    /**
     * {@link #overview(int, int, int, int, int)} of the map as it shows without some compositors,
     * see {@link #tiles(int, int, int, int, Set)}: a square shows the first of its cells that has
     * a tile of another compositor.
     *
     * @param x0 left column
     * @param y0 top row
     * @param x1 right column, at least x0
     * @param y1 bottom row, at least y0
     * @param shift the size of a square as a power of two, 0 (one cell) to 31
     * @param hidden the names of the compositors left out
     * @return one tile per square that shows any, with the revision they belong to
     * @since 1.5
     */
    Snapshot overview(int x0, int y0, int x1, int y1, int shift, Set<String> hidden);

    /** @return every top tile with the revision they belong to */
    Snapshot snapshot();

    /**
     * @return the smallest rectangle that holds every tile of the map, or empty when it has none;
     *         the cost follows the chunks of 16 × 16 cells that hold tiles, not the tiles
     * @since 1.3
     */
    Optional<Bounds> bounds();

    /**
     * An inclusive rectangle of cells.
     *
     * @since 1.3
     */
    record Bounds(int x0, int y0, int x1, int y1) {
    }

    /**
     * Every compositor's tile in one cell, the shown one first, then those it covers in the
     * order they would show if the ones above them went.
     *
     * @param x the column
     * @param y the row
     * @return the tiles, empty when the cell has none; the cost follows the number of compositors
     * @since 1.4
     */
    List<PlacedTile> stack(int x, int y);

    /**
     * What each compositor has on the map, shown or covered, for a legend: its layer, tile count,
     * bounds and most used bricks. Each compositor's summary is kept until its next delta, so a
     * call costs the tiles of the compositors that changed since the last one (at most all the
     * map's tiles): call it when asked, not on every change.
     *
     * @param bricks how many of each compositor's most used bricks to name, at least 0
     * @return one entry per compositor that ever drew, sorted by name (one that removed all its
     *         tiles has 0 tiles and no bounds)
     * @since 1.4
     */
    List<LayerSummary> layers(int bricks);

    /**
     * One compositor's tiles on the map.
     *
     * @param compositor the compositor name
     * @param layer its layer
     * @param tiles how many tiles it has, shown or covered
     * @param bounds the smallest rectangle that holds them, empty when it has none
     * @param bricks its most used bricks, most used first (ties by name)
     * @since 1.4
     */
    record LayerSummary(String compositor, int layer, int tiles, Optional<Bounds> bounds, List<BrickCount> bricks) {
        /** Creates a summary. */
        public LayerSummary {
            bricks = List.copyOf(bricks);
        }
    }

    /**
     * How many tiles of a compositor show one brick.
     *
     * @param brick the brick name
     * @param tiles its tiles with that brick
     * @since 1.4
     */
    record BrickCount(String brick, int tiles) {
    }

    /**
     * Every change after a revision, oldest first, if the change log still holds them all.
     *
     * @param revision the last revision the caller has
     * @return the changes, or empty when that revision is too old and a snapshot is needed
     */
    Optional<List<MapChange>> changesSince(long revision);

    /**
     * The latest changes the change log holds, for a look at what happened lately: fewer than
     * asked for when the map has made fewer (or the log holds fewer).
     *
     * @param max how many at the most
     * @return the changes, oldest first
     * @since 1.1
     */
    List<MapChange> latestChanges(int max);

    /**
     * Adds a listener for every change applied from now on: exactly the changes after the
     * revision the map had when it subscribed, none that the map already held.
     *
     * @param listener the listener
     * @return closes the subscription
     */
    AutoCloseable subscribe(MapListener listener);

    /**
     * Tiles and the revision they are consistent with.
     *
     * @param revision the map revision
     * @param tiles the tiles
     */
    record Snapshot(long revision, List<PlacedTile> tiles) {
        /** Creates a snapshot. */
        public Snapshot {
            tiles = List.copyOf(tiles);
        }
    }
}
