package dev.infinitemap.web.socket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.PlacedTile;
import dev.infinitemap.web.HiddenCompositors;

/**
 * The inclusive rectangle of cells a client subscribed to: it is sent the cells in it and the
 * changes inside it, and of a change outside only its bounding box. It may hide compositors:
 * then it is sent the map as it shows without their tiles.
 */
record Viewport(int x0, int y0, int x1, int y1, Set<String> hidden) {

    /** As for {@code GET /infinitemap/api/tiles}: a bigger view would be a snapshot by another name. */
    static final long MAX_CELLS = 1_000_000;

    Viewport {
        if (x0 > x1 || y0 > y1) {
            throw new IllegalArgumentException("a viewport needs x0 <= x1 and y0 <= y1");
        }
        if (area(x0, y0, x1, y1) > MAX_CELLS) {
            throw new IllegalArgumentException("a viewport holds at most " + MAX_CELLS + " cells, not " + area(x0, y0, x1, y1));
        }
        if (hidden.size() > HiddenCompositors.MAX) {
            throw new IllegalArgumentException("a viewport hides at most " + HiddenCompositors.MAX + " compositors, not " + hidden.size());
        }
        hidden = Set.copyOf(hidden);
    }

    /** A viewport that hides nothing. */
    Viewport(int x0, int y0, int x1, int y1) {
        this(x0, y0, x1, y1, Set.of());
    }

    /** @param names compositor names separated by commas, as in {@code ?hide=}, see {@link HiddenCompositors#parse} */
    Viewport hiding(String names) {
        return new Viewport(x0, y0, x1, y1, HiddenCompositors.parse(names));
    }

    boolean hidesAny() {
        return !hidden.isEmpty();
    }

    /** @param text {@code x0,y0,x1,y1}, as in {@code ?viewport=} */
    static Viewport parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("viewport must be x0,y0,x1,y1 (cells, inclusive)");
        }
        int[] bounds = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                bounds[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("viewport must be x0,y0,x1,y1: four whole numbers of 32 bits");
            }
        }
        return new Viewport(bounds[0], bounds[1], bounds[2], bounds[3]);
    }


    boolean contains(int x, int y) {
        return x >= x0 && x <= x1 && y >= y0 && y <= y1;
    }

    /** @return the part of the change inside this viewport, or null when none of it is */
    MapChange within(MapChange change, Bounds bounds) {
        if (bounds == null || bounds.x1() < x0 || bounds.x0() > x1 || bounds.y1() < y0 || bounds.y0() > y1) {
            return null; // nowhere near: no need to look at its cells
        }
        List<PlacedTile> put = new ArrayList<>();
        for (PlacedTile placed : change.put()) {
            if (contains(placed.tile().x(), placed.tile().y())) {
                put.add(placed);
            }
        }
        long[] removed = change.removedCells();
        int kept = 0;
        for (long cell : removed) {
            if (contains(CellKey.x(cell), CellKey.y(cell))) {
                removed[kept++] = cell;
            }
        }
        if (put.isEmpty() && kept == 0) {
            return null;
        }
        if (put.size() == change.put().size() && kept == removed.length) {
            return change;
        }
        return new MapChange(change.revision(), change.compositor(), put, Arrays.copyOf(removed, kept));
    }

    /** Reads what a rectangle shows without some compositors: {@link dev.infinitemap.api.map.InfiniteMap#tiles(int, int, int, int, Set)}. */
    interface ShownWithout {
        List<PlacedTile> tiles(int x0, int y0, int x1, int y1, Set<String> hidden);
    }

    /**
     * The change as this viewport, which hides compositors, sees it: nothing when a hidden
     * compositor made it (none of its tiles show), else each of its cells inside (those below the
     * top included) read again without the hidden ones: put when a tile shows there, removed when
     * none does. A cell read after a later change shows that one already; the later change sends
     * it again, so the client ends where the map is.
     *
     * @param all the change's box with its cells changed below the top, see {@link Bounds#of(MapChange, boolean)}
     * @return the change as seen, or null when nothing of it is inside
     */
    MapChange seenWithout(MapChange change, Bounds all, ShownWithout map) {
        if (hidden.contains(change.compositor()) || !overlaps(all)) {
            return null;
        }
        Set<Long> cells = cellsInside(change);
        if (cells.isEmpty()) {
            return null;
        }
        int cx0 = Math.max(x0, all.x0());
        int cy0 = Math.max(y0, all.y0());
        int cx1 = Math.min(x1, all.x1());
        int cy1 = Math.min(y1, all.y1());
        List<PlacedTile> shown;
        if (area(cx0, cy0, cx1, cy1) <= MAX_READ_CELLS) {
            shown = map.tiles(cx0, cy0, cx1, cy1, hidden);
        } else { // a few cells far apart: each on its own
            shown = new ArrayList<>();
            for (long cell : cells) {
                shown.addAll(map.tiles(CellKey.x(cell), CellKey.y(cell), CellKey.x(cell), CellKey.y(cell), hidden));
            }
        }
        List<PlacedTile> put = new ArrayList<>();
        for (PlacedTile tile : shown) {
            if (cells.remove(tile.tile().cell())) {
                put.add(tile);
            }
        }
        return new MapChange(change.revision(), change.compositor(), put, cells.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * Cells one change may make a viewport that hides compositors read again on the feed's fan-out
     * thread, which every client shares: a rectangle of this many, or this many cells one by one.
     */
    static final int MAX_READ_CELLS = 65_536;
    static final int MAX_CELL_READS = 1_024;

    /**
     * @return whether {@link #seenWithout} reads little for this change; when not, the client is
     *         sent its viewport again instead, read on the catch-up thread like any viewport
     */
    boolean cheapToSee(MapChange change, Bounds all) {
        if (hidden.contains(change.compositor()) || !overlaps(all)) {
            return true;
        }
        long box = area(Math.max(x0, all.x0()), Math.max(y0, all.y0()), Math.min(x1, all.x1()), Math.min(y1, all.y1()));
        return box <= MAX_READ_CELLS || change.put().size() + change.removedCellCount() + change.changedBelowCount() <= MAX_CELL_READS;
    }

    private boolean overlaps(Bounds all) {
        return all != null && all.x1() >= x0 && all.x0() <= x1 && all.y1() >= y0 && all.y0() <= y1;
    }

    private static long area(long x0, long y0, long x1, long y1) {
        return (x1 - x0 + 1) * (y1 - y0 + 1);
    }

    /** The change's cells inside, put, removed and changed below the top. */
    private Set<Long> cellsInside(MapChange change) {
        Set<Long> cells = new java.util.HashSet<>();
        for (PlacedTile placed : change.put()) {
            cells.add(placed.tile().cell());
        }
        for (long cell : change.removedCells()) {
            cells.add(cell);
        }
        for (long cell : change.changedBelowCells()) {
            cells.add(cell);
        }
        cells.removeIf(cell -> !contains(CellKey.x(cell), CellKey.y(cell)));
        return cells;
    }

    /** @return whether every cell of the change is inside */
    boolean covers(Bounds bounds) {
        return bounds == null || bounds.x0() >= x0 && bounds.x1() <= x1 && bounds.y0() >= y0 && bounds.y1() <= y1;
    }

    /** The bounding box of a change's cells. */
    record Bounds(int x0, int y0, int x1, int y1) {

        /**
         * @param below whether the cells that changed below their top tile count too (for a
         *        viewport that hides compositors)
         * @return the box around every cell the change put or removed, or null when it touched none
         */
        static Bounds of(MapChange change, boolean below) {
            int[] box = { Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE };
            for (PlacedTile placed : change.put()) {
                grow(box, placed.tile().x(), placed.tile().y());
            }
            for (long cell : change.removedCells()) {
                grow(box, CellKey.x(cell), CellKey.y(cell));
            }
            if (below) {
                for (long cell : change.changedBelowCells()) {
                    grow(box, CellKey.x(cell), CellKey.y(cell));
                }
            }
            return box[0] > box[2] ? null : new Bounds(box[0], box[1], box[2], box[3]);
        }

        private static void grow(int[] box, int x, int y) {
            box[0] = Math.min(box[0], x);
            box[1] = Math.min(box[1], y);
            box[2] = Math.max(box[2], x);
            box[3] = Math.max(box[3], y);
        }
    }
}
