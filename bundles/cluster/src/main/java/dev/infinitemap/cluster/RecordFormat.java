package dev.infinitemap.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;

/**
 * How records look in the shared topic. Every key starts with the format version and a kind:
 * a cell of a runtime's layer ({@code C}: runtime, compositor, cell) or a runtime ({@code R}).
 * A cell's value is its tile (brick, timestamp), or none when it was removed, so that
 * compaction deletes it in the end; the rest of a {@link LayerRecord} (epoch, sequence, layer,
 * parts) travels in headers, as a removed cell has no value to hold it.
 */
final class RecordFormat {

    /** The format this runtime writes and reads; a peer writing another is named in the log. */
    static final byte VERSION = 1;
    static final byte CELL = 'C';
    static final byte RUNTIME = 'R';

    static final String EPOCH = "im.epoch";
    static final String SEQUENCE = "im.seq";
    static final String LAYER = "im.layer";
    static final String PARTS = "im.n";

    /** A record the format does not know: from a peer of another version, or not ours at all. */
    static final class UnknownRecord extends Exception {
        UnknownRecord(String message) {
            super(message);
        }
    }

    private RecordFormat() {
    }

    static byte[] cellKey(String runtime, String compositor, long cell) {
        return write(out -> {
            out.writeByte(VERSION);
            out.writeByte(CELL);
            out.writeUTF(runtime);
            out.writeUTF(compositor);
            out.writeLong(cell);
        });
    }

    static byte[] runtimeKey(String runtime) {
        return write(out -> {
            out.writeByte(VERSION);
            out.writeByte(RUNTIME);
            out.writeUTF(runtime);
        });
    }

    /** @return the tile's value, or null for a removed cell */
    static byte[] tileValue(Tile tile) {
        return tile == null ? null : write(out -> {
            out.writeUTF(tile.brick());
            out.writeDouble(tile.timestamp());
        });
    }

    static byte[] runtimeValue(RuntimeRecord record) {
        return write(out -> {
            out.writeLong(record.epoch());
            out.writeByte(record.state().ordinal());
            out.writeByte(record.onDeath().ordinal());
        });
    }

    static byte[] longHeader(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    static byte[] intHeader(int value) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(value).array();
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

    static LayerRecord layerRecord(byte[] key, byte[] value, long epoch, long sequence, int layer, int parts) throws UnknownRecord {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(key, 2, key.length - 2))) {
            String runtime = in.readUTF();
            String compositor = in.readUTF();
            long cell = in.readLong();
            Tile tile = null;
            if (value != null) {
                DataInputStream tileIn = new DataInputStream(new ByteArrayInputStream(value));
                tile = new Tile(CellKey.x(cell), CellKey.y(cell), tileIn.readUTF(), tileIn.readDouble());
            }
            return new LayerRecord(runtime, epoch, compositor, layer, sequence, parts, cell, tile);
        } catch (IOException | IllegalArgumentException e) {
            throw new UnknownRecord("a cell record that cannot be read (" + e.getMessage() + ")");
        }
    }

    static RuntimeRecord runtimeRecord(byte[] key, byte[] value) throws UnknownRecord {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(key, 2, key.length - 2))) {
            String runtime = in.readUTF();
            if (value == null) {
                throw new UnknownRecord("a runtime record of " + runtime + " without a value");
            }
            DataInputStream valueIn = new DataInputStream(new ByteArrayInputStream(value));
            long epoch = valueIn.readLong();
            RuntimeRecord.State state = RuntimeRecord.State.values()[valueIn.readByte()];
            RuntimeRecord.OnDeath onDeath = RuntimeRecord.OnDeath.values()[valueIn.readByte()];
            return new RuntimeRecord(runtime, epoch, state, onDeath);
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new UnknownRecord("a runtime record that cannot be read (" + e + ")");
        }
    }

    static long readLong(byte[] header) throws UnknownRecord {
        if (header == null || header.length != Long.BYTES) {
            throw new UnknownRecord("a cell record without its epoch or sequence header");
        }
        return ByteBuffer.wrap(header).getLong();
    }

    static int readInt(byte[] header) throws UnknownRecord {
        if (header == null || header.length != Integer.BYTES) {
            throw new UnknownRecord("a cell record without its layer or parts header");
        }
        return ByteBuffer.wrap(header).getInt();
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }
}
