package dev.infinitemap.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;

class RecordFormatTest {

    @Test
    void aCellRecordReadsBackAsWrittenAndARemovedCellHasNoValue() throws Exception {
        Tile tile = new Tile(-3, 7, "grass.png", 1732400000.25);
        byte[] key = RecordFormat.cellKey("east", "terrain", tile.cell());
        assertEquals(RecordFormat.CELL, RecordFormat.kind(key));
        LayerRecord put = new RecordFormat.Reader().layerRecord(key, new RecordFormat.Writer().tileValue(tile), RecordFormat.meta(11, 12, 5, 2));
        assertEquals(new LayerRecord("east", 11, "terrain", 5, 12, 2, tile.cell(), tile), put);

        assertNull(new RecordFormat.Writer().tileValue(null), "compaction deletes a cell whose latest record has no value");
        LayerRecord removed = new RecordFormat.Reader().layerRecord(RecordFormat.cellKey("east", "terrain", CellKey.pack(1, 1)), null, RecordFormat.meta(11, 13, 5, 1));
        assertNull(removed.tile());
        assertEquals(CellKey.pack(1, 1), removed.cell());
    }

    @Test
    void namesAndBricksBeyondLatinReadBackAsWritten() throws Exception {
        Tile tile = new Tile(1, 2, "\u8349\u5730-\uD83C\uDF3F.png", 3);
        LayerRecord read = new RecordFormat.Reader().layerRecord(RecordFormat.cellKey("\u6771", "\u00E9t\u00E9", tile.cell()), new RecordFormat.Writer().tileValue(tile),
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
        assertThrows(RecordFormat.UnknownRecord.class, () -> new RecordFormat.Reader().layerRecord(cell, new byte[] { 1 }, RecordFormat.meta(1, 1, 0, 1)),
                "a value cut short");
        assertThrows(RecordFormat.UnknownRecord.class, () -> new RecordFormat.Reader().layerRecord(cell, null, null), "a cell record without its header");
        byte[] lying = RecordFormat.cellKey("east", "terrain", 0);
        lying[3] = 100; // the runtime's length says more than the key holds
        assertThrows(RecordFormat.UnknownRecord.class, () -> new RecordFormat.Reader().layerRecord(lying, null, RecordFormat.meta(1, 1, 0, 1)), "a length past the end");
    }

    @Test
    void aReaderSharesEachNameAmongRecordsAndNeverMixesThemUp() throws Exception {
        RecordFormat.Reader reader = new RecordFormat.Reader();
        RecordFormat.Writer writer = new RecordFormat.Writer();
        byte[] meta = RecordFormat.meta(1, 1, 0, 1);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 2_000; i++) { // more bricks than the reader keeps: names share slots
                Tile tile = new Tile(i, round, "brick-" + i % 1_000 + ".png", i);
                LayerRecord record = reader.layerRecord(RecordFormat.cellKey("east", "c" + i % 3, tile.cell()), writer.tileValue(tile), meta);
                assertEquals(tile, record.tile());
                assertEquals("c" + i % 3, record.compositor());
            }
        }
        Tile first = reader.layerRecord(RecordFormat.cellKey("east", "c", 0), writer.tileValue(new Tile(0, 0, "same.png", 1)), meta).tile();
        Tile second = reader.layerRecord(RecordFormat.cellKey("east", "c", 1), writer.tileValue(new Tile(0, 1, "same.png", 1)), meta).tile();
        assertSame(first.brick(), second.brick(), "one string for a brick that repeats");
    }

    @Test
    void aKeySaysWhoseItIsWithoutBeingRead() {
        byte[] east = "east".getBytes(StandardCharsets.UTF_8);
        assertTrue(RecordFormat.isOf(RecordFormat.cellKey("east", "terrain", 5), east));
        assertTrue(RecordFormat.isOf(RecordFormat.runtimeKey("east"), east));
        assertFalse(RecordFormat.isOf(RecordFormat.cellKey("eastern", "terrain", 5), east));
        assertFalse(RecordFormat.isOf(RecordFormat.cellKey("eas", "terrain", 5), east));
        assertFalse(RecordFormat.isOf(RecordFormat.cellKey("west", "terrain", 5), east));
    }
}
