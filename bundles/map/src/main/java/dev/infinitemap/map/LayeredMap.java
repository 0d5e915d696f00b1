package dev.infinitemap.map;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.PlacedTile;

/**
 * The map's state: one sparse layer per compositor and the composed view (per cell the tile
 * that covers all others, see {@link PlacedTile#covers(PlacedTile)}). Applying a delta
 * returns exactly the cells of the composed view that changed. Not thread-safe: the owner
 * serialises access.
 */
final class LayeredMap {

    /** One compositor's own tiles and its last applied sequence number. */
    private static final class Layer {
        final String compositor;
        final int layer;
        final LongObjectMap<PlacedTile> cells = new LongObjectMap<>();
        long lastSequence;

        Layer(String compositor, int layer) {
            this.compositor = compositor;
            this.layer = layer;
        }
    }

    private final Map<String, Layer> layers = new HashMap<>();
    private final LongObjectMap<PlacedTile> top = new LongObjectMap<>();
    private long revision;

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
        // A cell may be touched twice in one delta (removed, then put); report its final state once.
        LongObjectMap<Boolean> touched = new LongObjectMap<>(delta.upserts().size() + delta.removedCellCount());
        if (own == null || own.layer != delta.layer()) {
            own = moveLayer(own, delta);
            // Every tile of a compositor that changed layer may now cover, or be covered by, another.
            own.cells.forEachKey(cell -> touched.put(cell, Boolean.TRUE));
        }
        own.lastSequence = delta.sequence();

        for (long cell : delta.removedCells()) {
            if (own.cells.remove(cell) != null) {
                touched.put(cell, Boolean.TRUE);
            }
        }
        for (Tile tile : delta.upserts()) {
            long cell = tile.cell();
            own.cells.put(cell, new PlacedTile(tile, own.compositor, own.layer));
            touched.put(cell, Boolean.TRUE);
        }
        // An emptied layer stays: its sequence number keeps a late duplicate from bringing tiles back.
        return recompose(touched, own);
    }

    /** The compositor changed its layer: all its tiles move, as one change. */
    private Layer moveLayer(Layer old, TileDelta delta) {
        Layer moved = new Layer(delta.compositor(), delta.layer());
        if (old != null) {
            old.cells.forEach(t -> moved.cells.put(t.tile().cell(), new PlacedTile(t.tile(), moved.compositor, moved.layer)));
            moved.lastSequence = old.lastSequence;
        }
        layers.put(moved.compositor, moved);
        return moved;
    }

    private MapChange recompose(LongObjectMap<Boolean> touched, Layer own) {
        List<PlacedTile> put = new ArrayList<>();
        long[] removed = new long[touched.size()];
        int[] removedCount = { 0 };
        touched.forEachKey(cell -> {
            PlacedTile before = top.get(cell);
            PlacedTile best = best(cell, before, own);
            if (best == null) {
                if (before != null) {
                    top.remove(cell);
                    removed[removedCount[0]++] = cell;
                }
            } else if (!best.equals(before)) {
                top.put(cell, best);
                put.add(best);
            }
        });
        revision++;
        return new MapChange(revision, put, java.util.Arrays.copyOf(removed, removedCount[0]));
    }

    /**
     * The tile that now covers a cell only {@code own} changed. Scanning every layer is needed
     * only when {@code own} held the top tile and its new tile (or no tile) may be covered by
     * another compositor's; otherwise the answer is the stronger of the old top and the new tile.
     */
    private PlacedTile best(long cell, PlacedTile before, Layer own) {
        PlacedTile mine = own.cells.get(cell);
        if (before == null) {
            return mine;
        }
        boolean ownedTop = before.compositor().equals(own.compositor);
        if (!ownedTop) {
            return mine != null && mine.covers(before) ? mine : before;
        }
        if (mine != null && mine.covers(before)) {
            return mine;
        }
        PlacedTile best = null;
        for (Layer layer : layers.values()) {
            PlacedTile candidate = layer.cells.get(cell);
            if (candidate != null && (best == null || candidate.covers(best))) {
                best = candidate;
            }
        }
        return best;
    }

    /** The tiles of an inclusive rectangle, walking whichever is smaller: the rectangle or the map. */
    List<PlacedTile> tiles(int x0, int y0, int x1, int y1) {
        List<PlacedTile> result = new ArrayList<>();
        // In double: the whole 32-bit plane has 2^64 cells, which overflows a long.
        double area = ((double) x1 - x0 + 1) * ((double) y1 - y0 + 1);
        if (area <= top.size()) {
            for (long x = x0; x <= x1; x++) {
                for (long y = y0; y <= y1; y++) {
                    PlacedTile tile = top.get(CellKey.pack((int) x, (int) y));
                    if (tile != null) {
                        result.add(tile);
                    }
                }
            }
        } else {
            top.forEach(t -> {
                Tile tile = t.tile();
                if (tile.x() >= x0 && tile.x() <= x1 && tile.y() >= y0 && tile.y() <= y1) {
                    result.add(t);
                }
            });
        }
        return result;
    }
}
