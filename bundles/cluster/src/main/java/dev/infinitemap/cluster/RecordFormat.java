package dev.infinitemap.cluster;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;

/**
 * How records look in the shared topic. Every key starts with the format version and a kind:
 * a cell of a runtime's layer ({@code C}: runtime, compositor, cell) or a runtime ({@code R}).
 * A cell's value is its tile (brick, timestamp), or none when it was removed, so that
 * compaction deletes it in the end; the rest of a {@link LayerRecord} (epoch, sequence, layer,
 * parts) travels in one header, {@code im}, as a removed cell has no value to hold it. Strings
 * are UTF-8 after a two-byte length.
 * <p>
 * Version 2: one header instead of four, and UTF-8 instead of Java's modified UTF-8. Reading a
 * million records spent more time decoding four header names per record than anything else.
 */
final class RecordFormat {

    /** The format this runtime writes and reads; a peer writing another is named in the log. */
    static final byte VERSION = 2;
    static final byte CELL = 'C';
    static final byte RUNTIME = 'R';

    /** The header with a cell record's epoch, sequence, layer and parts. */
    static final String META = "im";
    private static final int META_BYTES = 2 * Long.BYTES + 2 * Integer.BYTES;

    /** A record the format does not know: from a peer of another version, or not ours at all. */
    static final class UnknownRecord extends Exception {
        UnknownRecord(String message) {
            super(message);
        }
    }

    private RecordFormat() {
    }

    static byte[] cellKey(String runtime, String compositor, long cell) {
        byte[] r = utf8(runtime);
        byte[] c = utf8(compositor);
        return ByteBuffer.allocate(2 + 2 + r.length + 2 + c.length + Long.BYTES).put(VERSION).put(CELL)
                .putShort((short) r.length).put(r).putShort((short) c.length).put(c).putLong(cell).array();
    }

    static byte[] runtimeKey(String runtime) {
        byte[] r = utf8(runtime);
        return ByteBuffer.allocate(2 + 2 + r.length).put(VERSION).put(RUNTIME).putShort((short) r.length).put(r).array();
    }

    /** @return the tile's value, or null for a removed cell */
    static byte[] tileValue(Tile tile) {
        if (tile == null) {
            return null;
        }
        byte[] brick = utf8(tile.brick());
        return ByteBuffer.allocate(2 + brick.length + Double.BYTES).putShort((short) brick.length).put(brick).putDouble(tile.timestamp()).array();
    }

    static byte[] runtimeValue(RuntimeRecord record) {
        return ByteBuffer.allocate(Long.BYTES + 2).putLong(record.epoch()).put((byte) record.state().ordinal())
                .put((byte) record.onDeath().ordinal()).array();
    }

    /** @return the {@link #META} header of a cell record */
    static byte[] meta(long epoch, long sequence, int layer, int parts) {
        return ByteBuffer.allocate(META_BYTES).putLong(epoch).putLong(sequence).putInt(layer).putInt(parts).array();
    }

    /** @return the key's kind, {@link #CELL} or {@link #RUNTIME} */
    static byte kind(byte[] key) throws UnknownRecord {
        if (key == null || key.length < 2) {
            throw new UnknownRecord("a record without an InfiniteMap key");
        }
        if (key[0] != VERSION) {
            throw new UnknownRecord("a record in format " + key[0] + " (this runtime reads format " + VERSION + ")");
        }
        if (key[1] != CELL && key[1] != RUNTIME) {
            throw new UnknownRecord("a record of unknown kind " + key[1]);
        }
        return key[1];
    }

    /** @param meta the record's {@link #META} header, null when it has none */
    static LayerRecord layerRecord(byte[] key, byte[] value, byte[] meta) throws UnknownRecord {
        if (meta == null || meta.length != META_BYTES) {
            throw new UnknownRecord("a cell record without its " + META + " header");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(key, 2, key.length - 2);
            String runtime = string(in);
            String compositor = string(in);
            long cell = in.getLong();
            Tile tile = null;
            if (value != null) {
                ByteBuffer tileIn = ByteBuffer.wrap(value);
                tile = new Tile(CellKey.x(cell), CellKey.y(cell), string(tileIn), tileIn.getDouble());
            }
            ByteBuffer m = ByteBuffer.wrap(meta);
            return new LayerRecord(runtime, m.getLong(0), compositor, m.getInt(16), m.getLong(8), m.getInt(20), cell, tile); // as meta() writes them
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new UnknownRecord("a cell record that cannot be read (" + e + ")");
        }
    }

    static RuntimeRecord runtimeRecord(byte[] key, byte[] value) throws UnknownRecord {
        try {
            String runtime = string(ByteBuffer.wrap(key, 2, key.length - 2));
            if (value == null) {
                throw new UnknownRecord("a runtime record of " + runtime + " without a value");
            }
            ByteBuffer in = ByteBuffer.wrap(value);
            long epoch = in.getLong();
            RuntimeRecord.State state = RuntimeRecord.State.values()[in.get()];
            RuntimeRecord.OnDeath onDeath = RuntimeRecord.OnDeath.values()[in.get()];
            return new RuntimeRecord(runtime, epoch, state, onDeath);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new UnknownRecord("a runtime record that cannot be read (" + e + ")");
        }
    }

    private static byte[] utf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("a name of " + bytes.length + " bytes, more than a record holds: " + text.substring(0, 40) + "...");
        }
        return bytes;
    }

    private static String string(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        String text = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }
}
