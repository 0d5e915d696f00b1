package dev.infinitemap.web.socket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.PlacedTile;
import dev.infinitemap.web.BrickSource;

/**
 * The map as Geometry OS clients must see it. Their poller loads a cell only when its timestamp
 * grows, and never removes one; so here a cell's timestamp never goes backwards, and a removed
 * cell stays for a while as a tombstone: a transparent brick the legacy paths serve.
 * <p>
 * A tile keeps its own timestamp when that is newer than every timestamp shown so far (the
 * usual case: writers stamp tiles with the time they write them). Otherwise (an older or equal
 * timestamp, a tile uncovered below a removed one, a removal) the cell gets the change's time: at
 * least the wall clock and just above every timestamp shown so far. So whatever a poller last saw
 * in a cell, the next change of that cell shows a greater timestamp.
 * <p>
 * Kept from the feed's fan-out thread in revision order, so the legacy manifest and the legacy
 * socket agree; it holds one entry per cell (the map's size, plus tombstones), only while the
 * legacy mode is on.
 */
final class LegacyMap {

    /** The brick a removed cell shows: a transparent image served on the legacy paths. */
    static final String REMOVED_BRICK = BrickSource.REMOVED_BRICK;

    /** What a legacy client is sent for one change: which tiles keep their timestamp, and the change's time. */
    record Stamp(double shownBefore, double time) {

        /** @return the timestamp a put tile shows */
        double of(double timestamp) {
            return timestamp > shownBefore ? timestamp : time;
        }
    }

    /** A cell as the legacy manifest shows it; {@code removedAtMillis} > 0 for a tombstone. */
    record Cell(long key, String brick, double timestamp, long removedAtMillis) {
    }

    private final Map<Long, Cell> cells = new HashMap<>();
    private int tombstones;
    private double shown; // the greatest timestamp shown so far
    private long revision;
    private long lastSweepMillis;

    /** Starts from the map as it is: its tiles keep their timestamps, and nothing shown before this start exceeds the clock. */
    LegacyMap(InfiniteMap.Snapshot snapshot, long nowMillis) {
        shown = nowMillis / 1000.0;
        for (PlacedTile placed : snapshot.tiles()) {
            long key = CellKey.pack(placed.tile().x(), placed.tile().y());
            cells.put(key, new Cell(key, placed.tile().brick(), placed.tile().timestamp(), 0));
            shown = Math.max(shown, placed.tile().timestamp());
        }
        revision = snapshot.revision();
        lastSweepMillis = nowMillis;
    }

    /** @return the revision the legacy view is at */
    synchronized long revision() {
        return revision;
    }

    /**
     * Applies a change, unless it is older than the view.
     *
     * @return how legacy clients are sent this change, or null when the view already had it
     */
    synchronized Stamp record(MapChange change, long nowMillis, long tombstoneMillis) {
        if (change.revision() <= revision) {
            return null;
        }
        revision = change.revision();
        double before = shown;
        Stamp stamp = new Stamp(before, Math.max(nowMillis / 1000.0, after(before)));
        for (PlacedTile placed : change.put()) {
            long key = CellKey.pack(placed.tile().x(), placed.tile().y());
            double timestamp = stamp.of(placed.tile().timestamp());
            Cell was = cells.put(key, new Cell(key, placed.tile().brick(), timestamp, 0));
            if (was != null && was.removedAtMillis() > 0) {
                tombstones--;
            }
            shown = Math.max(shown, timestamp);
        }
        if (change.removedCellCount() > 0) {
            for (long key : change.removedCells()) {
                Cell was = cells.put(key, new Cell(key, REMOVED_BRICK, stamp.time(), nowMillis));
                if (was == null || was.removedAtMillis() == 0) {
                    tombstones++;
                }
            }
            shown = Math.max(shown, stamp.time());
        }
        if (nowMillis - lastSweepMillis >= Math.min(10_000, tombstoneMillis)) {
            sweep(nowMillis, tombstoneMillis);
        }
        return stamp;
    }

    /** @return every cell, tombstones younger than {@code tombstoneMillis} included, and the revision they belong to */
    synchronized View view(long nowMillis, long tombstoneMillis) {
        sweep(nowMillis, tombstoneMillis);
        return new View(revision, new ArrayList<>(cells.values()));
    }

    record View(long revision, List<Cell> cells) {
    }

    private void sweep(long nowMillis, long tombstoneMillis) {
        lastSweepMillis = nowMillis;
        if (tombstones == 0) {
            return;
        }
        for (Iterator<Cell> it = cells.values().iterator(); it.hasNext();) {
            Cell cell = it.next();
            if (cell.removedAtMillis() > 0 && nowMillis - cell.removedAtMillis() >= tombstoneMillis) {
                it.remove();
                tombstones--;
            }
        }
    }

    // The smallest timestamp above t that JSON keeps apart from it: a microsecond, or more where doubles are coarser.
    private static double after(double t) {
        return Math.max(t + 1e-6, Math.nextUp(t));
    }
}
