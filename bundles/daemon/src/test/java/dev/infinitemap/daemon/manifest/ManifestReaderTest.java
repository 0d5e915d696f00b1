package dev.infinitemap.daemon.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.infinitemap.api.Tile;

class ManifestReaderTest {

    private final ManifestReader reader = new ManifestReader(1000);

    @Test
    void readsTheSharedManifestFormat() throws Exception {
        Manifest manifest = read("""
                { "3,-7": { "brick": "grass.png", "timestamp": 1732400000.25 },
                  "4,-7": { "brick": "road.png",  "timestamp": 1732400001 } }""");
        assertEquals(Optional.empty(), manifest.compositor());
        assertEquals(0, manifest.layer());
        assertEquals(List.of(new Tile(3, -7, "grass.png", 1732400000.25), new Tile(4, -7, "road.png", 1732400001)),
                manifest.tiles().tiles());
    }

    @Test
    void readsTheNamedFormatWithItsLayer() throws Exception {
        Manifest manifest = read("""
                { "compositor": "terrain", "layer": 10,
                  "tiles": { "3,-7": { "brick": "grass.png", "timestamp": 1732400000.25 } } }""");
        assertEquals(Optional.of("terrain"), manifest.compositor());
        assertEquals(10, manifest.layer());
        assertEquals(1, manifest.tiles().size());
    }

    @Test
    void coordinatesSpanTheWhole32BitRange() throws Exception {
        Manifest manifest = read("{\"2147483647,-2147483648\": {\"brick\": \"edge.png\", \"timestamp\": 0}}");
        assertEquals(new Tile(Integer.MAX_VALUE, Integer.MIN_VALUE, "edge.png", 0), manifest.tiles().tiles().get(0));
    }

    @Test
    void anEmptyObjectIsAValidEmptyManifest() throws Exception {
        assertEquals(0, read("{}").tiles().size());
    }

    @Test
    void aFileThatEndsEarlyIsMarkedTruncated() {
        ManifestException e = assertThrows(ManifestException.class, () -> read("{ \"1,1\": { \"brick\": \"a.png\", "));
        assertTrue(e.truncated());
        assertTrue(e.getMessage().contains("ends early"), e.getMessage());
    }

    @Test
    void anEmptyFileIsAFileStillBeingWritten() {
        for (String empty : new String[] { "", "  \n" }) {
            ManifestException e = assertThrows(ManifestException.class, () -> read(empty));
            assertTrue(e.truncated(), "\"" + empty + "\"");
            assertTrue(e.getMessage().contains("empty"), e.getMessage());
        }
    }

    /** Issue: a number cut after its decimal point published an error at once. */
    @ParameterizedTest
    @ValueSource(strings = { "{ \"1,1\": { \"brick\": \"a.png\", \"timestamp\": 1732400000.",
            "{ \"1,1\": { \"brick\": \"a.png\", \"timestamp\": 17324e", "{ \"1,1\": { \"brick\": \"a.png\", \"timestamp\": tr",
            "{ \"1,1\": {\"brick\": \"a.png\", \"timestamp\": 1} } junk" })
    void aFailureAtTheEndOfTheDataCountsAsEndingEarlyWithItsReasonKept(String json) {
        ManifestException e = assertThrows(ManifestException.class, () -> read(json));
        assertTrue(e.truncated(), e.getMessage());
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "[1, 2]                                                   | must be a JSON object",
            "{ \"1;2\": {\"brick\": \"a.png\", \"timestamp\": 1} }     | cell key \"1;2\"",
            "{ \"1,99999999999\": {\"brick\": \"a.png\", \"timestamp\": 1} } | 32-bit",
            "{ \"1,1\": {\"brick\": \"../a.png\", \"timestamp\": 1} }  | must not contain \"..\"",
            "{ \"1,1\": {\"brick\": 5, \"timestamp\": 1} }             | brick must be a string",
            "{ \"1,1\": {\"brick\": \"a.png\", \"timestamp\": \"now\"} } | timestamp must be a number",
            "{ \"1,1\": {\"brick\": \"a.png\", \"timestamp\": -1} }    | is negative",
            "{ \"1,1\": {\"timestamp\": 1} }                           | has no brick",
            "{ \"1,1\": {\"brick\": \"a.png\"} }                       | has no timestamp",
            "{ \"1,1\": \"a.png\" }                                    | must be an object",
            "{ \"1,1\": {\"brick\": \"a.png\", \"timestamp\": 1}, \"1,1\": {\"brick\": \"b.png\", \"timestamp\": 1} } | a key that appears twice",
            "{ \"1,1\": {\"brick\": \"a.png\", \"timestamp\": 1}, \"1, 1\": {\"brick\": \"b.png\", \"timestamp\": 1} } | cell 1,1 has two tiles",
            "{ \"layer\": 1.5, \"tiles\": {} }                          | must be an integer",
            "{ \"layer\": 99999999999, \"tiles\": {} }                  | outside the 32-bit range",
            "{ \"compositor\": 3, \"tiles\": {} }                        | must be a string",
            "{ \"compositor\": \"x\", \"1,1\": {\"brick\": \"a.png\", \"timestamp\": 1} } | must be inside \"tiles\"",
            "{ \"1,1\": {\"brick\": \"a.png\", \"timestamp\": 1} } {}  | after the manifest",
            "{ \"1,1\": {\"brick\": \"a.png\" \"timestamp\": 1} }      | invalid JSON at line 1" })
    void anInvalidManifestIsRefusedWithTheReasonAndWhere(String json, String reason) {
        ManifestException e = assertThrows(ManifestException.class, () -> read(json));
        assertTrue(e.getMessage().contains(reason.strip()), e.getMessage());
        assertTrue(e.getMessage().contains("line ") || e.getMessage().contains("has two tiles"), e.getMessage());
        assertFalse(e.truncated());
    }

    @ParameterizedTest
    @ValueSource(strings = { "root:$6$saltsalt$hashhash:19000:0:99999:7:::", "zebracorn", "{ \"1,1\": zebracorn }", "[zebracorn]",
            "{ zebracorn: 1 }", "{ \"a\": 1 ]zebracorn", "\"secret\u0001word\"", "{ \"1,1\": {\"brick\": \"a.png\", \"timestamp\": 01234} }" })
    void aFileThatIsNotJsonIsRefusedWithoutQuotingWhatItContains(String content) {
        ManifestException e = assertThrows(ManifestException.class, () -> read(content));
        for (String word : new String[] { "root", "salt", "hash", "zebra", "corn", "01234" }) {
            assertFalse(e.getMessage().contains(word), e.getMessage());
        }
        assertTrue(e.getMessage().contains("line 1, column "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "{ \"compositor\": \"evil\\nWARN forged line\", \"tiles\": {} }", "{ \"compositor\": \"x\\u202Eyz\", \"tiles\": {} }",
            "{ \"compositor\": \"x\\u001b[31m\", \"tiles\": {} }", "{ \"compositor\": \"x\\ud800\", \"tiles\": {} }",
            "{ \"1,1\": {\"brick\": \"\\ud800.png\", \"timestamp\": 1} }", "{ \"1,1\": {\"brick\": \"a\\u200Bb.png\", \"timestamp\": 1} }" })
    void namesThatWouldForgeLogLinesOrAreNotTextAreRefusedWithThePosition(String json) {
        ManifestException e = assertThrows(ManifestException.class, () -> read(json));
        assertTrue(e.getMessage().contains("must not contain") && e.getMessage().contains("(found U+"), e.getMessage());
        assertTrue(e.getMessage().contains("(at line 1, column "), e.getMessage());
    }

    @Test
    void theTileLimitIsEnforced() {
        ManifestException e = assertThrows(ManifestException.class, () -> new ManifestReader(2).read(stream(
                "{\"1,1\": {\"brick\": \"a.png\", \"timestamp\": 1}, \"1,2\": {\"brick\": \"a.png\", \"timestamp\": 1},"
                        + " \"1,3\": {\"brick\": \"a.png\", \"timestamp\": 1}}")));
        assertTrue(e.getMessage().contains("more than 2 tiles"), e.getMessage());
    }

    @Test
    void aLongReadReportsItsProgressEveryStepOfTiles() throws ManifestException {
        int count = 2 * ManifestReader.PROGRESS_TILES + ManifestReader.PROGRESS_TILES / 2;
        StringBuilder json = new StringBuilder("{");
        for (int x = 0; x < count; x++) {
            json.append(x == 0 ? "" : ",").append("\"").append(x).append(",0\":{\"brick\":\"a.png\",\"timestamp\":1}");
        }
        byte[] bytes = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        List<long[]> reports = new ArrayList<>();
        Manifest manifest = new ManifestReader(1_000_000, (tiles, read) -> reports.add(new long[] { tiles, read }))
                .read(new ByteArrayInputStream(bytes));
        assertEquals(count, manifest.tiles().size());
        assertEquals(2, reports.size());
        assertEquals(ManifestReader.PROGRESS_TILES, reports.get(0)[0]);
        assertEquals(2L * ManifestReader.PROGRESS_TILES, reports.get(1)[0]);
        // Reported after 40% and 80% of the tiles: about as far into the bytes (a read buffer ahead at most).
        assertEquals(bytes.length * 0.4, reports.get(0)[1], bytes.length * 0.01);
        assertEquals(bytes.length * 0.8, reports.get(1)[1], bytes.length * 0.01);
    }

    private Manifest read(String json) throws ManifestException {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ByteArrayInputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}
