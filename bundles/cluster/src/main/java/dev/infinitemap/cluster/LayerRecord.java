package dev.infinitemap.cluster;

import dev.infinitemap.api.Tile;

/**
 * One record of the shared log: the state of one cell of one runtime's compositor layer, as one
 * part of a delta. The log is compacted by {@link #key()}: it keeps each cell's latest state.
 *
 * @param runtime the id of the runtime whose compositor drew it
 * @param epoch that runtime's incarnation: a restart gets a greater one
 * @param compositor the compositor's name in its runtime
 * @param layer its layer
 * @param sequence the number of the delta in the compositor's sequence, in its runtime
 * @param parts how many records the delta has
 * @param cell the cell, packed as by {@link dev.infinitemap.api.CellKey#pack(int, int)}
 * @param tile the cell's tile, or null when the delta removed it (a tombstone)
 */
record LayerRecord(String runtime, long epoch, String compositor, int layer, long sequence, int parts, long cell, Tile tile) {

    LayerRecord {
        if (parts < 1) {
            throw new IllegalArgumentException("a delta has at least one record, not " + parts);
        }
        if (tile != null && tile.cell() != cell) {
            throw new IllegalArgumentException("the tile " + tile + " is not in cell " + cell);
        }
    }

    /** The compaction key: a cell of one runtime's layer. */
    record Key(String runtime, String compositor, long cell) {
    }

    Key key() {
        return new Key(runtime, compositor, cell);
    }
}
