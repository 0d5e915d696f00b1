package dev.infinitemap.map;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;
import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.InfiniteMap.BrickCount;
import dev.infinitemap.api.map.InfiniteMap.Bounds;
import dev.infinitemap.api.map.InfiniteMap.LayerSummary;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.PlacedTile;

/**
 * The map's state: one sparse layer per compositor and the composed view (per cell the tile
 * that covers all others, see {@link PlacedTile#covers(PlacedTile)}). Applying a delta
 * returns exactly the cells of the composed view that changed. Not thread-safe: the owner
 * serialises access.
 */
final class LayeredMap {

    /** One compositor's own tiles, its layer and its last applied sequence number. */
    private static final class Layer {
        final String compositor;
        final String rank; // what decides a full tie: the name, or in a cluster the name the cluster knows it by
        int layer;
        final LongObjectMap<Tile> cells = new LongObjectMap<>();
        long lastSequence;
        // Its summary for the legend, until its next delta: a legend of a million tiles then
        // costs only the layers that changed (a ticking clock's few), not all of them.
        LayerSummary summary;

        Layer(String compositor, String rank, int layer) {
            this.compositor = compositor;
            this.rank = rank;
            this.layer = layer;
        }

        PlacedTile place(Tile tile) {
            return new PlacedTile(tile, compositor, layer);
        }
    }

    /** Marks a touched cell that no longer has a tile in the changing layer. */
    private static final Object NONE = new Object();

    private final Map<String, Layer> layers = new HashMap<>();
    private final LongObjectMap<PlacedTile> top = new LongObjectMap<>();
    private final ChunkIndex index = new ChunkIndex();
    private LongObjectMap<Object> scratchCells;
    private static final int KEPT_SCRATCH = 1 << 16;
    private long[] removedScratch = new long[64];
    private long[] belowScratch = new long[64];
    private long revision;

    private final UnaryOperator<String> ranks;

    /** A map at revision 0. */
    LayeredMap() {
        this(0, UnaryOperator.identity());
    }

    /**
     * An empty map whose first delta gets {@code startRevision + 1}.
     *
     * @param ranks a compositor's name to what decides a full tie with others: in a cluster, the
     *        same string on every runtime, so that every runtime shows the same winner
     */
    LayeredMap(long startRevision, UnaryOperator<String> ranks) {
        this.revision = startRevision;
        this.ranks = ranks;
    }

    long revision() {
        return revision;
    }

    int tileCount() {
        return top.size();
    }

    PlacedTile tile(long cell) {
        return top.get(cell);
    }

    LongObjectMap<PlacedTile> composed() {
        return top;
    }

    /**
     * Applies a delta. A delta whose sequence number its compositor already reached is
     * skipped (applying twice is harmless) and returns null.
     *
     * @return the change of the composed view under the next revision, or null when skipped
     */
    MapChange apply(TileDelta delta) {
        Layer own = layers.get(delta.compositor());
        if (own != null && delta.sequence() <= own.lastSequence) {
            return null;
        }
        // Each touched cell maps to its new tile in this layer, or NONE; a cell touched twice
        // in one delta (removed, then put) keeps its final state and is reported once.
        LongObjectMap<Object> touched = scratch(delta.upserts().size() + delta.removedCellCount());
        if (own == null) {
            own = new Layer(delta.compositor(), ranks.apply(delta.compositor()), delta.layer());
            layers.put(own.compositor, own);
        } else if (own.layer != delta.layer()) {
            // All tiles of a compositor that changed layer may now cover, or be covered by, others'.
            own.layer = delta.layer();
            own.cells.forEachEntry(touched::put);
        }
        own.lastSequence = delta.sequence();
        own.summary = null;

        for (long cell : delta.removedCells()) {
            if (own.cells.remove(cell) != null) {
                touched.put(cell, NONE);
            }
        }
        for (Tile tile : delta.upserts()) {
            long cell = tile.cell();
            own.cells.put(cell, tile);
            touched.put(cell, tile);
        }
        // An emptied layer stays: its sequence number keeps a late duplicate from bringing tiles back.
        return recompose(touched, own);
    }

    /**
     * The touched-cells table, reused between deltas of similar size (allocating one per delta
     * made a third of the garbage); a much larger one is not kept, as clearing it would cost more.
     */
    private LongObjectMap<Object> scratch(int cells) {
        if (scratchCells == null || scratchCells.capacity() > Math.max(1024, 8L * cells)
                || scratchCells.capacity() < cells) {
            scratchCells = new LongObjectMap<>(cells);
        } else {
            scratchCells.clear();
        }
        return scratchCells;
    }

    private MapChange recompose(LongObjectMap<Object> touched, Layer own) {
        List<PlacedTile> put = new ArrayList<>(touched.size());
        // Both reused between deltas of up to 65,536 cells and copied at their length: two arrays of
        // the touched size per delta were garbage. A bigger delta's are its own, not kept.
        int size = touched.size();
        if (size <= KEPT_SCRATCH && removedScratch.length < size) {
            removedScratch = new long[Math.min(KEPT_SCRATCH, Math.max(size, 2 * removedScratch.length))];
            belowScratch = new long[removedScratch.length];
        }
        long[] removed = size <= KEPT_SCRATCH ? removedScratch : new long[size];
        long[] below = size <= KEPT_SCRATCH ? belowScratch : new long[size];
        int[] counts = { 0, 0 }; // removed, below
        touched.forEachEntry((cell, now) -> {
            PlacedTile before = top.get(cell);
            PlacedTile best = best(cell, before, now == NONE ? null : (Tile) now, own);
            if (best == null) {
                if (before != null) {
                    top.remove(cell);
                    index.remove(cell);
                    removed[counts[0]++] = cell;
                }
            } else if (best != before && !best.equals(before)) {
                top.put(cell, best);
                if (before == null) {
                    index.add(cell);
                }
                put.add(best);
            } else if (!best.compositor().equals(own.compositor)) {
                below[counts[1]++] = cell; // own's tile changed under another's
            }
        });
        revision++;
        return new MapChange(revision, own.compositor, put, Arrays.copyOf(removed, counts[0]), Arrays.copyOf(below, counts[1]));
    }

    /**
     * The tile that now covers a cell where only {@code own} changed, to {@code mine}. Scanning
     * every layer is needed only when {@code own} held the top tile and its new tile (or no
     * tile) may be covered by another compositor's; otherwise the answer is the stronger of
     * the old top and the new tile.
     */
    private PlacedTile best(long cell, PlacedTile before, Tile mine, Layer own) {
        if (before == null) {
            return mine == null ? null : own.place(mine);
        }
        boolean mineWins = mine != null && covers(own, mine, before);
        if (mineWins) {
            return own.place(mine);
        }
        if (!before.compositor().equals(own.compositor)) {
            return before;
        }
        return topAmong(cell, layers.values(), false);
    }

    /**
     * The tile of a cell that covers the others among some layers, or null when none has one.
     * Layers sorted highest first end the search below the first layer that has a tile there.
     */
    private PlacedTile topAmong(long cell, Iterable<Layer> candidates, boolean highestFirst) {
        Layer bestLayer = null;
        Tile bestTile = null;
        for (Layer layer : candidates) {
            if (highestFirst && bestLayer != null && layer.layer < bestLayer.layer) {
                break; // a lower layer cannot cover it
            }
            Tile candidate = layer.cells.get(cell);
            if (candidate != null && (bestTile == null || covers(layer.layer, candidate.timestamp(), layer.rank,
                    bestLayer.layer, bestTile.timestamp(), bestLayer.rank))) {
                bestLayer = layer;
                bestTile = candidate;
            }
        }
        return bestTile == null ? null : bestLayer.place(bestTile);
    }

    /** {@link PlacedTile#covers(PlacedTile)} on the parts, so layers need not hold a PlacedTile per cell; a full tie goes by rank. */
    private static boolean covers(int layer, double timestamp, String rank, int otherLayer, double otherTimestamp, String otherRank) {
        if (layer != otherLayer) {
            return layer > otherLayer;
        }
        int byTime = Double.compare(timestamp, otherTimestamp);
        return byTime != 0 ? byTime > 0 : rank.compareTo(otherRank) >= 0;
    }

    /** Whether a layer's tile covers the shown one; the shown one's rank is looked up on a full tie only. */
    private boolean covers(Layer own, Tile mine, PlacedTile shown) {
        if (own.layer != shown.layer()) {
            return own.layer > shown.layer();
        }
        int byTime = Double.compare(mine.timestamp(), shown.tile().timestamp());
        if (byTime != 0) {
            return byTime > 0;
        }
        Layer other = layers.get(shown.compositor());
        return own.rank.compareTo(other == null ? shown.compositor() : other.rank) >= 0;
    }

    /** The tiles of an inclusive rectangle, found through the chunk index: the cost follows what it returns. */
    List<PlacedTile> tiles(int x0, int y0, int x1, int y1) {
        List<PlacedTile> result = new ArrayList<>();
        index.cellsIn(x0, y0, x1, y1, cell -> result.add(top.get(cell)));
        return result;
    }

    /** The tiles of a rectangle as they show without the hidden compositors', see {@link InfiniteMap#tiles(int, int, int, int, Set)}. */
    List<PlacedTile> tiles(int x0, int y0, int x1, int y1, Set<String> hidden) {
        if (hidden.isEmpty()) {
            return tiles(x0, y0, x1, y1);
        }
        List<Layer> shown = shownLayers(hidden);
        List<PlacedTile> result = new ArrayList<>();
        index.cellsIn(x0, y0, x1, y1, cell -> {
            PlacedTile tile = shownWithout(cell, hidden, shown);
            if (tile != null) {
                result.add(tile);
            }
        });
        return result;
    }

    /** The layers not hidden, highest first: a cell's search stops below the first layer that has its tile. */
    private List<Layer> shownLayers(Set<String> hidden) {
        return layers.values().stream().filter(layer -> !hidden.contains(layer.compositor))
                .sorted(Comparator.comparingInt((Layer layer) -> layer.layer).reversed()).toList();
    }

    /** The tile a cell shows without the hidden compositors', or null when only theirs are there. */
    private PlacedTile shownWithout(long cell, Set<String> hidden, List<Layer> shown) {
        PlacedTile top = this.top.get(cell);
        if (top == null || !hidden.contains(top.compositor())) {
            return top;
        }
        return topAmong(cell, shown, true);
    }

    /** @return {x0, y0, x1, y1} around every tile, or null when the map is empty */
    int[] bounds() {
        return index.bounds();
    }

    /** Every layer's tile in a cell, the shown one first; see {@link dev.infinitemap.api.map.InfiniteMap#stack}. */
    List<PlacedTile> stack(long cell) {
        List<Layer> holding = new ArrayList<>();
        for (Layer layer : layers.values()) {
            if (layer.cells.get(cell) != null) {
                holding.add(layer);
            }
        }
        holding.sort((a, b) -> a == b ? 0
                : covers(a.layer, a.cells.get(cell).timestamp(), a.rank, b.layer, b.cells.get(cell).timestamp(), b.rank) ? -1 : 1);
        return holding.stream().map(layer -> layer.place(layer.cells.get(cell))).toList();
    }

    /** Summaries kept per layer name at most this many bricks; a legend asking for more is counted afresh. */
    static final int KEPT_BRICKS = 16;

    /**
     * Each layer's tiles summed up. A layer's summary is kept until its next delta, so the cost
     * follows the tiles of the layers changed since the last call. Callers may hold only a read
     * lock: two of them may both count a layer, and either result is kept.
     */
    List<LayerSummary> layers(int bricks) {
        List<LayerSummary> summaries = new ArrayList<>(layers.size());
        for (Layer layer : layers.values()) {
            LayerSummary summary = layer.summary;
            if (summary == null || bricks > KEPT_BRICKS) {
                summary = summarise(layer, Math.max(bricks, KEPT_BRICKS));
                if (bricks <= KEPT_BRICKS) {
                    layer.summary = summary;
                }
            }
            summaries.add(summary.bricks().size() <= bricks ? summary
                    : new LayerSummary(summary.compositor(), summary.layer(), summary.tiles(), summary.bounds(), summary.bricks().subList(0, bricks)));
        }
        summaries.sort(Comparator.comparing(LayerSummary::compositor));
        return summaries;
    }

    private static LayerSummary summarise(Layer layer, int bricks) {
        int[] box = { Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE };
        Map<String, int[]> counts = new HashMap<>();
        layer.cells.forEach(tile -> {
            box[0] = Math.min(box[0], tile.x());
            box[1] = Math.min(box[1], tile.y());
            box[2] = Math.max(box[2], tile.x());
            box[3] = Math.max(box[3], tile.y());
            counts.computeIfAbsent(tile.brick(), b -> new int[1])[0]++;
        });
        List<BrickCount> used = counts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, int[]>>comparingInt(e -> -e.getValue()[0]).thenComparing(Map.Entry::getKey))
                .limit(bricks).map(e -> new BrickCount(e.getKey(), e.getValue()[0])).toList();
        Optional<Bounds> bounds = layer.cells.size() == 0 ? Optional.empty() : Optional.of(new Bounds(box[0], box[1], box[2], box[3]));
        return new LayerSummary(layer.compositor, layer.layer, layer.cells.size(), bounds, used);
    }

    /** One tile per square of {@code 2^shift} cells a side overlapping the rectangle, see {@link ChunkIndex#firstPerSquare}. */
    List<PlacedTile> overview(int x0, int y0, int x1, int y1, int shift) {
        List<PlacedTile> result = new ArrayList<>();
        index.firstPerSquare(x0, y0, x1, y1, shift, cell -> true, cell -> result.add(top.get(cell)));
        return result;
    }

    /** {@link #overview(int, int, int, int, int)} without the hidden compositors' tiles: a square shows its first cell that shows any. */
    List<PlacedTile> overview(int x0, int y0, int x1, int y1, int shift, Set<String> hidden) {
        if (hidden.isEmpty()) {
            return overview(x0, y0, x1, y1, shift);
        }
        List<Layer> shown = shownLayers(hidden);
        List<PlacedTile> result = new ArrayList<>();
        PlacedTile[] found = new PlacedTile[1];
        index.firstPerSquare(x0, y0, x1, y1, shift, cell -> (found[0] = shownWithout(cell, hidden, shown)) != null, cell -> result.add(found[0]));
        return result;
    }
}
