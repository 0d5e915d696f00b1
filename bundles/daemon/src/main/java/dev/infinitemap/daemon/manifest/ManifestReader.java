package dev.infinitemap.daemon.manifest;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;

import dev.infinitemap.daemon.delta.TileSet;
import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileRules;

/**
 * Reads a tile manifest in either format, streaming, and validates every field:
 * <pre>
 * { "3,-7": { "brick": "grass.png", "timestamp": 1732400000.25 } }
 * { "compositor": "terrain", "layer": 10, "tiles": { "3,-7": { ... } } }
 * </pre>
 * Errors name the line and column, and the cell key where there is one. One read at a time.
 */
final class ManifestReader {

    private static final int MAX_NESTING = 16;

    // Cell keys are a million distinct names: interning or canonicalising them, as Jackson does
    // by default for the few field names of ordinary JSON, would cost more than the parse.
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
            .build();

    // Jackson decodes a malformed UTF-8 sequence in a string as U+FFFD instead of failing.
    private static final char REPLACEMENT = '\uFFFD';
    private static final String NOT_UTF8 = "is not valid UTF-8 (or holds U+FFFD, the replacement character)";

    /** Told how far a long read has come. */
    @FunctionalInterface
    interface Progress {
        /**
         * Every {@link ManifestReader#PROGRESS_TILES} tiles: how many were read, and how many
         * bytes of the file (read ahead by up to a buffer of a few kB).
         */
        void read(int tiles, long bytes);
    }

    static final int PROGRESS_TILES = 1 << 16;

    // Manifests up to this size are parsed from their characters (a few pages of tiles).
    static final int SMALL_BYTES = 16 * 1024;

    private final int maxTiles;
    private final Progress progress;
    private long bytesRead;
    private boolean endReached;
    // For a manifest parsed from its characters: how many; -1 when streamed.
    private int charsTotal = -1;
    // A map has few bricks and many tiles: one string per brick name, not one per tile (48 bytes each).
    private final Map<String, String> bricks = new HashMap<>();

    ManifestReader(int maxTiles) {
        this(maxTiles, (tiles, bytes) -> { });
    }

    ManifestReader(int maxTiles, Progress progress) {
        this.maxTiles = maxTiles;
        this.progress = progress;
    }

    /**
     * Reads a manifest held in memory. A small one in UTF-8 without a byte order mark is decoded
     * here and parsed from its characters: Jackson's own byte path would set up a decoder with
     * its buffers for each file, a fifth of the time of a start with 10,000 small manifests.
     */
    Manifest read(byte[] bytes) throws ManifestException {
        if (bytes.length > SMALL_BYTES || bytes.length < 2 || bytes[0] <= 0 || bytes[1] == 0) {
            return read(new ByteArrayInputStream(bytes));
        }
        bytesRead = bytes.length;
        endReached = false;
        // Malformed UTF-8 becomes U+FFFD, as on Jackson's path: refused below with NOT_UTF8.
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        charsTotal = chars.limit();
        JsonParser parser;
        try {
            parser = JSON.createParser(chars.array(), chars.arrayOffset(), chars.limit());
        } catch (IOException e) {
            throw new ManifestException("cannot read the file: " + e.getMessage(), false);
        }
        return parse(parser);
    }

    Manifest read(InputStream in) throws ManifestException {
        bytesRead = 0;
        endReached = false;
        charsTotal = -1;
        JsonParser parser;
        try {
            parser = JSON.createParser(new FilterInputStream(in) {
                // Counted here: the parser's locations gave no byte offset (-1) for this stream.
                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    bytesRead += Math.max(0, n);
                    endReached |= n < 0;
                    return n;
                }
            });
        } catch (IOException e) {
            throw new ManifestException("cannot read the file: " + e.getMessage(), false);
        }
        return parse(parser);
    }

    private Manifest parse(JsonParser parser) throws ManifestException {
        try {
            return readManifest(parser);
        } catch (JsonParseException e) {
            // Jackson says "end-of-input" in a JsonEOFException or, between object entries, in a plain one.
            // A token cut by the end of the data (a number ending in "1732400000.") is a file
            // still being written too: any failure once the parser has met the end counts.
            if (e instanceof JsonEOFException || String.valueOf(e.getOriginalMessage()).startsWith("Unexpected end-of-input")) {
                throw new ManifestException("the file ends early, at " + where(e.getLocation()) + " (incomplete JSON)", true);
            }
            // Streamed, the parser met the end when it asked for more; from characters, when it stands at the last.
            boolean atEnd = charsTotal < 0 ? endReached : parser.currentLocation().getCharOffset() >= charsTotal;
            throw new ManifestException("invalid JSON at " + where(e.getLocation()) + ": " + withoutContent(e.getOriginalMessage()), atEnd);
        } catch (StreamConstraintsException e) {
            JsonLocation location = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
            String reason = String.valueOf(e.getOriginalMessage()).contains("nesting depth")
                    ? "nested deeper than " + MAX_NESTING + " levels" : withoutContent(e.getOriginalMessage());
            throw new ManifestException("invalid JSON at " + where(location) + ": " + reason, false);
        } catch (IOException e) {
            throw new ManifestException("cannot read the file: " + e.getMessage(), false);
        } finally {
            bricks.clear();
            try {
                parser.close();
            } catch (IOException e) {
                // the input is in memory or already read: nothing left to release
            }
        }
    }

    private Manifest readManifest(JsonParser p) throws IOException, ManifestException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new ManifestException("the file is empty (at " + where(p.currentLocation()) + ")", true);
        }
        if (first != JsonToken.START_OBJECT) {
            throw error(p, "the manifest must be a JSON object");
        }
        Optional<String> compositor = Optional.empty();
        Integer layer = null;
        List<Tile> tiles = new ArrayList<>();
        boolean named = false;
        boolean legacyCells = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "compositor" -> {
                    compositor = Optional.of(compositorName(p));
                    named = true;
                }
                case "layer" -> {
                    layer = layer(p);
                    named = true;
                }
                case "tiles" -> {
                    expect(p, JsonToken.START_OBJECT, "\"tiles\" must be an object of \"x,y\" keys");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        readTile(p, tiles);
                    }
                    named = true;
                }
                default -> {
                    readTile(p, tiles);
                    legacyCells = true;
                }
            }
        }
        if (named && legacyCells) {
            throw error(p, "cell keys must be inside \"tiles\" when \"compositor\", \"layer\" or \"tiles\" is used");
        }
        if (p.nextToken() != null) {
            throw error(p, "unexpected content after the manifest object");
        }
        try {
            return new Manifest(compositor, layer == null ? 0 : layer, TileSet.of(tiles));
        } catch (IllegalArgumentException e) {
            // "3,-7" and "3, -7" are different JSON keys but the same cell.
            throw new ManifestException(e.getMessage(), false);
        }
    }

    // The parser stands on a cell key's value.
    private void readTile(JsonParser p, List<Tile> tiles) throws IOException, ManifestException {
        String key = p.currentName();
        if (p.currentToken() == JsonToken.FIELD_NAME) {
            p.nextToken();
        }
        long cell;
        try {
            cell = CellKey.parse(key);
        } catch (IllegalArgumentException e) {
            throw error(p, e.getMessage());
        }
        if (tiles.size() == maxTiles) {
            throw error(p, "more than " + maxTiles + " tiles (the limit per compositor)");
        }
        expect(p, JsonToken.START_OBJECT, "tile \"" + key + "\" must be an object with \"brick\" and \"timestamp\"");
        String brick = null;
        Double timestamp = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("brick")) {
                if (value != JsonToken.VALUE_STRING) {
                    throw error(p, "tile \"" + key + "\": brick must be a string");
                }
                brick = bricks.computeIfAbsent(p.getText(), name -> name);
                if (brick.indexOf(REPLACEMENT) >= 0) {
                    throw error(p, "tile \"" + key + "\": brick " + NOT_UTF8);
                }
            } else if (field.equals("timestamp")) {
                if (!value.isNumeric()) {
                    throw error(p, "tile \"" + key + "\": timestamp must be a number");
                }
                timestamp = p.getDoubleValue();
            } else {
                p.skipChildren(); // other fields are allowed and ignored, as the old format did
            }
        }
        if (brick == null) {
            throw error(p, "tile \"" + key + "\" has no brick");
        }
        if (timestamp == null) {
            throw error(p, "tile \"" + key + "\" has no timestamp");
        }
        Optional<String> problem = TileRules.brickProblem(brick);
        if (problem.isEmpty()) {
            problem = TileRules.timestampProblem(timestamp);
        }
        if (problem.isPresent()) {
            throw error(p, "tile \"" + key + "\": " + problem.get());
        }
        tiles.add(new Tile(CellKey.x(cell), CellKey.y(cell), brick, timestamp));
        if (tiles.size() % PROGRESS_TILES == 0) {
            progress.read(tiles.size(), bytesRead);
        }
    }

    private static String compositorName(JsonParser p) throws IOException, ManifestException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw error(p, "\"compositor\" must be a string");
        }
        String name = p.getText().strip();
        if (name.indexOf(REPLACEMENT) >= 0) {
            throw error(p, "\"compositor\" " + NOT_UTF8);
        }
        if (name.isEmpty() || name.length() > 100) {
            throw error(p, "\"compositor\" must be 1 to 100 characters");
        }
        Optional<String> problem = TileRules.characterProblem("\"compositor\"", name);
        if (problem.isPresent()) {
            throw error(p, problem.get());
        }
        return name;
    }

    private static int layer(JsonParser p) throws IOException, ManifestException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw error(p, "\"layer\" must be an integer");
        }
        try {
            return p.getIntValue();
        } catch (IOException e) {
            throw error(p, "\"layer\" is outside the 32-bit range");
        }
    }

    private static void expect(JsonParser p, JsonToken token, String message) throws ManifestException {
        if (p.currentToken() != token) {
            throw error(p, message);
        }
    }

    private static ManifestException error(JsonParser p, String message) {
        return new ManifestException(message + " (at " + where(p.currentTokenLocation()) + ")", false);
    }

    /**
     * Jackson's reason, told without the text it quotes from the file: errors are shown to
     * anyone who can read the API, and a file may not be a manifest at all (a link to a
     * password file quoted its first word).
     */
    static String withoutContent(String jackson) {
        String message = String.valueOf(jackson);
        if (message.startsWith("Unrecognized token")) {
            return "a word that is not a JSON value";
        }
        if (message.startsWith("Unexpected close marker")) {
            return "a closing bracket that does not match";
        }
        if (message.startsWith("Illegal unquoted character") || message.contains("CTRL-CHAR")) {
            return "a control character inside a string (it must be escaped)";
        }
        if (message.startsWith("Invalid UTF-8") || message.contains("Invalid UTF-8")) {
            return "bytes that are not UTF-8";
        }
        if (message.startsWith("Unexpected character") || message.startsWith("Illegal character")) {
            return message.contains("was expecting comma") || message.contains("expected a value") || message.contains("expected a valid value")
                    || message.contains("was expecting double-quote")
                    ? "a character where JSON expects " + expected(message) : "a character that JSON does not allow here";
        }
        if (message.startsWith("Duplicate field")) {
            return "a key that appears twice in one object";
        }
        if (message.startsWith("Numeric value") || message.startsWith("Invalid numeric value") || message.contains("number")) {
            return "a number JSON does not allow";
        }
        return "not valid JSON here";
    }

    private static String expected(String message) {
        if (message.contains("was expecting comma")) {
            return "a comma";
        }
        if (message.contains("was expecting double-quote")) {
            return "a quoted key";
        }
        return "a value";
    }

    private static String where(JsonLocation location) {
        return location == null ? "an unknown position" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
