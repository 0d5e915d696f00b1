package dev.infinitemap.cluster;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
        return cellKey(cellKeyPrefix(runtime, compositor), cell);
    }

    /** @return the start of every cell key of one compositor, made once for a whole delta */
    static byte[] cellKeyPrefix(String runtime, String compositor) {
        byte[] r = utf8(runtime);
        byte[] c = utf8(compositor);
        return ByteBuffer.allocate(2 + 2 + r.length + 2 + c.length).put(VERSION).put(CELL)
                .putShort((short) r.length).put(r).putShort((short) c.length).put(c).array();
    }

    static byte[] cellKey(byte[] prefix, long cell) {
        byte[] key = Arrays.copyOf(prefix, prefix.length + Long.BYTES);
        ByteBuffer.wrap(key, prefix.length, Long.BYTES).putLong(cell);
        return key;
    }

    /** @return whether a cell or runtime key (of {@link #kind(byte[]) a known kind}) is of the runtime whose id has these UTF-8 bytes */
    static boolean isOf(byte[] key, byte[] runtime) {
        int length = key.length < 4 ? -1 : ((key[2] & 0xFF) << 8) | (key[3] & 0xFF);
        return length == runtime.length && key.length >= 4 + length && Arrays.equals(key, 4, 4 + length, runtime, 0, length);
    }

    static byte[] runtimeKey(String runtime) {
        byte[] r = utf8(runtime);
        return ByteBuffer.allocate(2 + 2 + r.length).put(VERSION).put(RUNTIME).putShort((short) r.length).put(r).array();
    }

    /** Writes cell values, one writer per thread: a delta's tiles mostly share a brick, encoded once. */
    static final class Writer {
        private String brick;
        private byte[] brickBytes;

        /** @return the tile's value, or null for a removed cell */
        byte[] tileValue(Tile tile) {
            if (tile == null) {
                return null;
            }
            if (!tile.brick().equals(brick)) {
                brickBytes = utf8(tile.brick());
                brick = tile.brick();
            }
            return ByteBuffer.allocate(2 + brickBytes.length + Double.BYTES).putShort((short) brickBytes.length).put(brickBytes)
                    .putDouble(tile.timestamp()).array();
        }
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

    /**
     * Reads cell records, one reader per thread. A map's records repeat a few names (runtimes,
     * compositors, bricks) a million times: each is decoded once and shared, which saves the
     * reader's time and the map's memory.
     */
    static final class Reader {
        private static final int NAMES = 256; // a direct-mapped cache: a miss only decodes again
        private final byte[][] bytes = new byte[NAMES][];
        private final String[] names = new String[NAMES];

        /** @param meta the record's {@link #META} header, null when it has none */
        LayerRecord layerRecord(byte[] key, byte[] value, byte[] meta) throws UnknownRecord {
            if (meta == null || meta.length != META_BYTES) {
                throw new UnknownRecord("a cell record without its " + META + " header");
            }
            try {
                ByteBuffer in = ByteBuffer.wrap(key, 2, key.length - 2);
                String runtime = name(in);
                String compositor = name(in);
                long cell = in.getLong();
                Tile tile = null;
                if (value != null) {
                    ByteBuffer tileIn = ByteBuffer.wrap(value);
                    tile = new Tile(CellKey.x(cell), CellKey.y(cell), name(tileIn), tileIn.getDouble());
                }
                ByteBuffer m = ByteBuffer.wrap(meta);
                return new LayerRecord(runtime, m.getLong(0), compositor, m.getInt(16), m.getLong(8), m.getInt(20), cell, tile); // as meta() writes them
            } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
                throw new UnknownRecord("a cell record that cannot be read (" + e + ")");
            }
        }

        private String name(ByteBuffer in) {
            int length = Short.toUnsignedInt(in.getShort());
            if (length > in.remaining()) {
                throw new BufferUnderflowException();
            }
            byte[] array = in.array();
            int from = in.arrayOffset() + in.position();
            in.position(in.position() + length);
            int hash = length;
            for (int i = from; i < from + length; i++) {
                hash = 31 * hash + array[i];
            }
            int slot = (hash ^ (hash >>> 16)) & (NAMES - 1);
            byte[] known = bytes[slot];
            if (known != null && Arrays.equals(known, 0, known.length, array, from, from + length)) {
                return names[slot];
            }
            String name = new String(array, from, length, StandardCharsets.UTF_8);
            bytes[slot] = Arrays.copyOfRange(array, from, from + length);
            names[slot] = name;
            return name;
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
