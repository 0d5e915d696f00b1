package dev.infinitemap.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;

class RecordFormatTest {

    @Test
    void aCellRecordReadsBackAsWrittenAndARemovedCellHasNoValue() throws Exception {
        Tile tile = new Tile(-3, 7, "grass.png", 1732400000.25);
        byte[] key = RecordFormat.cellKey("east", "terrain", tile.cell());
        assertEquals(RecordFormat.CELL, RecordFormat.kind(key));
        LayerRecord put = RecordFormat.layerRecord(key, RecordFormat.tileValue(tile), RecordFormat.meta(11, 12, 5, 2));
        assertEquals(new LayerRecord("east", 11, "terrain", 5, 12, 2, tile.cell(), tile), put);

        assertNull(RecordFormat.tileValue(null), "compaction deletes a cell whose latest record has no value");
        LayerRecord removed = RecordFormat.layerRecord(RecordFormat.cellKey("east", "terrain", CellKey.pack(1, 1)), null, RecordFormat.meta(11, 13, 5, 1));
        assertNull(removed.tile());
        assertEquals(CellKey.pack(1, 1), removed.cell());
    }

    @Test
    void namesAndBricksBeyondLatinReadBackAsWritten() throws Exception {
        Tile tile = new Tile(1, 2, "\u8349\u5730-\uD83C\uDF3F.png", 3);
        LayerRecord read = RecordFormat.layerRecord(RecordFormat.cellKey("\u6771", "\u00E9t\u00E9", tile.cell()), RecordFormat.tileValue(tile),
                RecordFormat.meta(1, 2, 3, 4));
        assertEquals("\u6771", read.runtime());
        assertEquals("\u00E9t\u00E9", read.compositor());
        assertEquals(tile, read.tile());
    }

    @Test
    void aRuntimeRecordReadsBackAsWritten() throws Exception {
        RuntimeRecord gone = new RuntimeRecord("west", 99, RuntimeRecord.State.GONE, RuntimeRecord.OnDeath.KEEP);
        byte[] key = RecordFormat.runtimeKey("west");
        assertEquals(RecordFormat.RUNTIME, RecordFormat.kind(key));
        assertEquals(gone, RecordFormat.runtimeRecord(key, RecordFormat.runtimeValue(gone)));
    }

    @Test
    void aRecordOfAnotherFormatOrNotOursIsRefusedWithTheReason() {
        byte[] key = RecordFormat.runtimeKey("west");
        key[0] = 1;
        assertTrue(assertThrows(RecordFormat.UnknownRecord.class, () -> RecordFormat.kind(key)).getMessage().contains("format 1"));
        assertThrows(RecordFormat.UnknownRecord.class, () -> RecordFormat.kind("hello".getBytes()));
        assertThrows(RecordFormat.UnknownRecord.class, () -> RecordFormat.kind(null));
        byte[] cell = RecordFormat.cellKey("east", "terrain", 0);
        assertThrows(RecordFormat.UnknownRecord.class, () -> RecordFormat.layerRecord(cell, new byte[] { 1 }, RecordFormat.meta(1, 1, 0, 1)),
                "a value cut short");
        assertThrows(RecordFormat.UnknownRecord.class, () -> RecordFormat.layerRecord(cell, null, null), "a cell record without its header");
        byte[] lying = RecordFormat.cellKey("east", "terrain", 0);
        lying[3] = 100; // the runtime's length says more than the key holds
        assertThrows(RecordFormat.UnknownRecord.class, () -> RecordFormat.layerRecord(lying, null, RecordFormat.meta(1, 1, 0, 1)), "a length past the end");
    }
}
