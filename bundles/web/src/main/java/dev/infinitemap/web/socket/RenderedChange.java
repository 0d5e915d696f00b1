package dev.infinitemap.web.socket;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.PlacedTile;
import dev.infinitemap.web.Json;

/**
 * A map change as WebSocket messages, rendered at most once per form however many clients
 * receive it: per cell ({@code tile_update} / {@code tile_remove}) or as one
 * {@code manifest_update}.
 */
final class RenderedChange {

    private final MapChange change;
    private final LegacyMap.Stamp stamp; // null when the legacy mode is off
    private String[] cellMessages;
    private String[] legacyMessages;
    private String batchMessage;
    private long cellChars = -1;
    private Viewport.Bounds bounds;
    private Viewport.Bounds boundsWithBelow;
    private String areaMessage;
    private String areaWithBelowMessage;

    RenderedChange(MapChange change) {
        this(change, null);
    }

    RenderedChange(MapChange change, LegacyMap.Stamp stamp) {
        this.change = change;
        this.stamp = stamp;
    }

    long revision() {
        return change.revision();
    }

    MapChange change() {
        return change;
    }

    /** @return the box around the cells this change put or removed, or null when it has none */
    synchronized Viewport.Bounds bounds() {
        if (bounds == null && cellCount() > 0) {
            bounds = Viewport.Bounds.of(change, false);
        }
        return bounds;
    }

    /** @return the box around every cell this change touched, below the top too, or null when it touched none */
    synchronized Viewport.Bounds boundsWithBelow() {
        if (change.changedBelowCount() == 0) {
            return bounds();
        }
        if (boundsWithBelow == null) {
            boundsWithBelow = Viewport.Bounds.of(change, true);
        }
        return boundsWithBelow;
    }

    /**
     * @param withBelow whether the cells changed below the top count (for a viewport that hides compositors)
     * @return {@code area_changed} with the change's bounding box, for clients of a viewport it is not all inside
     */
    synchronized String areaMessage(boolean withBelow) {
        if (withBelow && change.changedBelowCount() > 0) {
            if (areaWithBelowMessage == null) {
                areaWithBelowMessage = area(boundsWithBelow());
            }
            return areaWithBelowMessage;
        }
        if (areaMessage == null) {
            areaMessage = area(bounds());
        }
        return areaMessage;
    }

    private String area(Viewport.Bounds box) {
        return "{\"type\":\"area_changed\",\"revision\":" + change.revision() + ",\"x0\":" + box.x0() + ",\"y0\":" + box.y0()
                + ",\"x1\":" + box.x1() + ",\"y1\":" + box.y1() + "}";
    }

    /** @return how many per-cell messages this change makes */
    int cellCount() {
        return change.put().size() + change.removedCellCount();
    }

    /** @return the characters this change takes in a client's queue, in one form */
    long chars(Client.Form form) {
        if (form == Client.Form.BATCH) {
            return batchMessage().length();
        }
        synchronized (this) {
            if (cellChars < 0) {
                long total = 0;
                for (String message : cellMessages()) {
                    total += message.length();
                }
                cellChars = total;
            }
            return cellChars; // the legacy form is as long within a few characters a cell
        }
    }

    synchronized String[] cellMessages() {
        if (cellMessages == null) {
            String revision = Long.toString(change.revision());
            String[] messages = new String[cellCount()];
            int i = 0;
            for (PlacedTile placed : change.put()) {
                messages[i++] = "{\"type\":\"tile_update\",\"x\":" + placed.tile().x() + ",\"y\":" + placed.tile().y()
                        + ",\"brick\":" + Json.quote(placed.tile().brick()) + ",\"timestamp\":" + Json.number(placed.tile().timestamp())
                        + ",\"revision\":" + revision + "}";
            }
            for (long cell : change.removedCells()) {
                messages[i++] = "{\"type\":\"tile_remove\",\"x\":" + CellKey.x(cell) + ",\"y\":" + CellKey.y(cell) + ",\"revision\":" + revision + "}";
            }
            cellMessages = messages;
        }
        return cellMessages;
    }

    /** @return per cell a {@code tile_update}, removals to {@link LegacyMap#REMOVED_BRICK}; none when the legacy mode is off */
    synchronized String[] legacyMessages() {
        if (legacyMessages == null) {
            if (stamp == null) {
                return new String[0];
            }
            String tail = ",\"revision\":" + change.revision() + "}";
            String[] messages = new String[cellCount()];
            int i = 0;
            for (PlacedTile placed : change.put()) {
                messages[i++] = legacyUpdate(placed.tile().x(), placed.tile().y(), placed.tile().brick(), stamp.of(placed.tile().timestamp()), tail);
            }
            for (long cell : change.removedCells()) {
                messages[i++] = legacyUpdate(CellKey.x(cell), CellKey.y(cell), LegacyMap.REMOVED_BRICK, stamp.time(), tail);
            }
            legacyMessages = messages;
        }
        return legacyMessages;
    }

    static String legacyUpdate(int x, int y, String brick, double timestamp, String tail) {
        return "{\"type\":\"tile_update\",\"x\":" + x + ",\"y\":" + y + ",\"brick\":" + Json.quote(brick) + ",\"timestamp\":"
                + Json.number(timestamp) + tail;
    }

    synchronized String batchMessage() {
        if (batchMessage == null) {
            StringBuilder out = new StringBuilder(64 + cellCount() * 64).append("{\"type\":\"manifest_update\",\"revision\":")
                    .append(change.revision()).append(",\"tiles\":{");
            Json.tiles(out, change.put(), false).append("},\"removed\":[");
            boolean first = true;
            for (long cell : change.removedCells()) {
                out.append(first ? "\"" : ",\"").append(CellKey.x(cell)).append(',').append(CellKey.y(cell)).append('"');
                first = false;
            }
            batchMessage = out.append("]}").toString();
        }
        return batchMessage;
    }
}
