package dev.infinitemap.daemon.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random and mutated input for the manifest reader: whatever the bytes, it returns a manifest
 * or a {@link ManifestException} whose message says where (line and column) or which key, and
 * nothing else escapes. Seeded, so a failure names its case and repeats.
 */
class ManifestReaderFuzzTest {

    private static final List<String> SEEDS = List.of(
            "{ \"3,-7\": { \"brick\": \"grass.png\", \"timestamp\": 1732400000.25 }, \"4,-7\": { \"brick\": \"road.png\", \"timestamp\": 1732400001 } }",
            "{ \"compositor\": \"terrain\", \"layer\": 10, \"tiles\": { \"3,-7\": { \"brick\": \"grass.png\", \"timestamp\": 1732400000.25 } } }",
            "{ \"2147483647,-2147483648\": { \"brick\": \"edge.png\", \"timestamp\": 0, \"extra\": [1, {\"a\": null}] } }",
            "{}");

    private static final String[] FRAGMENTS = { "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "-", "1e999", "-1",
            "0.5", "NaN", "null", "true", "\"x,y\"", "\"1,1\"", "\"brick\"", "\"timestamp\"", "\"tiles\"", "\"layer\"", "\"compositor\"",
            "\u00e9", "\ufeff", "\n", " ", "99999999999999999999", "\"../a.png\"", "\"a/b.png\"" };

    private final ManifestReader reader = new ManifestReader(1000);

    @Test
    void mutatedManifestsGiveAManifestOrAPreciseErrorAndNothingElse() {
        Random random = new Random(20261124);
        int manifests = 0;
        int errors = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] input = mutate(SEEDS.get(random.nextInt(SEEDS.size())).getBytes(StandardCharsets.UTF_8), random);
            if (readsOrExplains(input, "case " + i)) {
                manifests++;
            } else {
                errors++;
            }
        }
        assertTrue(manifests > 100 && errors > 10_000, "the mutations reach both outcomes: " + manifests + " read, " + errors + " refused");
    }

    @Test
    void randomBytesGiveAPreciseError() {
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            byte[] input = new byte[random.nextInt(200)];
            random.nextBytes(input);
            readsOrExplains(input, "random case " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "\n\n", "null", "[]", "\"text\"", "42", "{", "{\"1,1\"", "{\"1,1\":", "{} {}", "{}x",
            "{\"1,1\": {\"brick\": \"a.png\", \"timestamp\": 1e999}}", "{\"1,1\": {\"brick\": \"a.png\", \"timestamp\": -1e999}}",
            "{\"1,1\": {\"brick\": \"a.png\", \"timestamp\": 1, \"timestamp\": 2}}", "{\"1,1\": {\"brick\": \"a.png\", \"timestamp\": 1}, \"1,1\": {}}",
            "{\"99999999999,1\": {\"brick\": \"a.png\", \"timestamp\": 1}}", "{\"layer\": 99999999999, \"tiles\": {}}",
            "{\"layer\": 1.5, \"tiles\": {}}", "{\"compositor\": \"\", \"tiles\": {}}", "{\"compositor\": 5}" })
    void edgeCasesAreRefusedWithAReason(String json) {
        assertFalse(readsOrExplains(json.getBytes(StandardCharsets.UTF_8), json), json + " was accepted");
    }

    @Test
    void deepNestingIsRefusedWithoutAStackOverflow() {
        String deep = "{\"1,1\": {\"brick\": \"a.png\", \"timestamp\": 1, \"x\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}}";
        assertFalse(readsOrExplains(deep.getBytes(StandardCharsets.UTF_8), "100,000 nested arrays"));
    }

    @Test
    void invalidUtf8IsRefusedWithItsPosition() {
        byte[] input = "{\"1,1\": {\"brick\": \"a?.png\", \"timestamp\": 1}}".getBytes(StandardCharsets.US_ASCII);
        input[input.length - 23] = (byte) 0xC3; // a lead byte followed by an ASCII byte
        assertFalse(readsOrExplains(input, "invalid UTF-8"));
    }

    @Test
    void aByteOrderMarkBeforeAValidManifestIsAccepted() throws Exception {
        byte[] json = SEEDS.get(0).getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[json.length + 3];
        input[0] = (byte) 0xEF;
        input[1] = (byte) 0xBB;
        input[2] = (byte) 0xBF;
        System.arraycopy(json, 0, input, 3, json.length);
        assertEquals(2, reader.read(new ByteArrayInputStream(input)).tiles().size());
    }

    /**
     * @return true when read, false when refused with a precise reason; fails on anything else,
     *         and when the product's in-memory path and the streaming path disagree
     */
    private boolean readsOrExplains(byte[] input, String name) {
        Object fromBytes = outcome(() -> reader.read(input), input, name);
        Object fromStream = outcome(() -> reader.read(new ByteArrayInputStream(input)), input, name);
        assertEquals(fromStream, fromBytes, name + ": the in-memory read and the streamed read agree");
        return !(fromBytes instanceof String);
    }

    /**
     * The tiles, compositor and layer read, or the error's message. (Whether an error counts as
     * a file cut short may differ: the stream path says so once the parser has read to the end of
     * its input, the in-memory one when the parser stands at the end; ManifestReaderTest checks it.)
     */
    private static Object outcome(ManifestRead read, byte[] input, String name) {
        try {
            Manifest manifest = read.read();
            return List.of(manifest.tiles().tiles(), manifest.compositor(), manifest.layer());
        } catch (ManifestException e) {
            String message = e.getMessage();
            boolean precise = message != null && (message.matches("(?s).*line \\d+, column \\d+.*") || message.contains("\""));
            if (!precise) {
                fail(name + " (" + HexFormat.of().formatHex(input, 0, Math.min(input.length, 64)) + "...) was refused without a position or key: " + message);
            }
            return message;
        } catch (Throwable t) {
            fail(name + " (" + HexFormat.of().formatHex(input, 0, Math.min(input.length, 64)) + "...) escaped with " + t, t);
            return null;
        }
    }

    @FunctionalInterface
    private interface ManifestRead {
        Manifest read() throws ManifestException;
    }

    private static byte[] mutate(byte[] seed, Random random) {
        List<Byte> bytes = new ArrayList<>(seed.length + 16);
        for (byte b : seed) {
            bytes.add(b);
        }
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && !bytes.isEmpty(); e++) {
            int at = random.nextInt(bytes.size());
            switch (random.nextInt(5)) {
                case 0 -> bytes.set(at, (byte) random.nextInt(256));
                case 1 -> bytes.remove(at);
                case 2 -> {
                    byte[] fragment = FRAGMENTS[random.nextInt(FRAGMENTS.length)].getBytes(StandardCharsets.UTF_8);
                    for (int i = fragment.length - 1; i >= 0; i--) {
                        bytes.add(at, fragment[i]);
                    }
                }
                case 3 -> bytes.subList(at, bytes.size()).clear(); // truncated, as a file being written
                default -> {
                    int to = Math.min(bytes.size(), at + 1 + random.nextInt(12));
                    bytes.addAll(at, new ArrayList<>(bytes.subList(at, to))); // a repeated run
                }
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }
}
