package dev.infinitemap.web.socket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.PlacedTile;

/**
 * The inclusive rectangle of cells a client subscribed to: it is sent the cells in it and the
 * changes inside it, and of a change outside only its bounding box.
 */
record Viewport(int x0, int y0, int x1, int y1) {

    /** As for {@code GET /infinitemap/api/tiles}: a bigger view would be a snapshot by another name. */
    static final long MAX_CELLS = 1_000_000;

    Viewport {
        if (x0 > x1 || y0 > y1) {
            throw new IllegalArgumentException("a viewport needs x0 <= x1 and y0 <= y1");
        }
        if (cells(x0, y0, x1, y1) > MAX_CELLS) {
            throw new IllegalArgumentException("a viewport holds at most " + MAX_CELLS + " cells, not " + cells(x0, y0, x1, y1));
        }
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

    private static long cells(long x0, long y0, long x1, long y1) {
        return (x1 - x0 + 1) * (y1 - y0 + 1);
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

    /** @return whether every cell of the change is inside */
    boolean covers(Bounds bounds) {
        return bounds == null || bounds.x0() >= x0 && bounds.x1() <= x1 && bounds.y0() >= y0 && bounds.y1() <= y1;
    }

    /** The bounding box of a change's cells. */
    record Bounds(int x0, int y0, int x1, int y1) {

        /** @return the box around every cell the change put or removed, or null when it touched none */
        static Bounds of(MapChange change) {
            int x0 = Integer.MAX_VALUE;
            int y0 = Integer.MAX_VALUE;
            int x1 = Integer.MIN_VALUE;
            int y1 = Integer.MIN_VALUE;
            for (PlacedTile placed : change.put()) {
                int x = placed.tile().x();
                int y = placed.tile().y();
                x0 = Math.min(x0, x);
                x1 = Math.max(x1, x);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
            }
            for (long cell : change.removedCells()) {
                int x = CellKey.x(cell);
                int y = CellKey.y(cell);
                x0 = Math.min(x0, x);
                x1 = Math.max(x1, x);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
            }
            return x0 > x1 ? null : new Bounds(x0, y0, x1, y1);
        }
    }
}
