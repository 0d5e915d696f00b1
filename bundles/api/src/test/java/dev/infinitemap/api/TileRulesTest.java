package dev.infinitemap.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TileRulesTest {

    @ParameterizedTest(name = "\"{0}\" is a valid brick")
    @ValueSource(strings = { "grass.png", "a", "road-2_final.PNG", "brick with spaces.png", "ünïcode.png", ".hidden.png" })
    void ordinaryBrickNamesAreValid(String brick) {
        assertEquals(Optional.empty(), TileRules.brickProblem(brick));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = { "", "../etc/passwd", "a/b.png", "a\\b.png", "..", "x..png", "tab\there.png", "nul\u0000.png", "del\u007f.png" })
    void bricksThatCouldEscapeOrCorruptAreRefused(String brick) {
        assertTrue(TileRules.brickProblem(brick).isPresent());
    }

    @ParameterizedTest(name = "U+{0} is refused in a brick and a compositor name")
    @ValueSource(strings = { "D800", "DFFF", "001B", "0085", "2028", "2029", "202E", "202A", "2066", "2069", "200B", "200D", "200E", "2060", "FEFF", "00AD" })
    void charactersThatForgeOrHideTextAreRefusedByCodeAndPositionWithoutShowingThem(String hex) {
        String text = "ab" + (char) Integer.parseInt(hex, 16) + "c.png";
        String problem = TileRules.brickProblem(text).orElseThrow();
        assertTrue(problem.endsWith("(found U+" + hex + " at character 3)"), problem);
        assertTrue(problem.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "the reason is plain text: " + problem);
        assertTrue(TileRules.characterProblem("compositor name", text).orElseThrow().startsWith("compositor name must not contain"));
    }

    @Test
    void pairedSurrogatesAndOrdinaryScriptsAreReadableText() {
        for (String text : new String[] { "\uD83D\uDDFA map.png", "地図.png", "خريطة.png", "ﬁeld.png" }) {
            assertEquals(Optional.empty(), TileRules.brickProblem(text), text);
        }
        assertEquals("brick must not contain an unpaired surrogate (found U+D83D at character 1)",
                TileRules.brickProblem("\uD83D.png").orElseThrow());
    }

    @Test
    void brickLengthIsLimitedTo255Characters() {
        assertEquals(Optional.empty(), TileRules.brickProblem("b".repeat(255)));
        assertTrue(TileRules.brickProblem("b".repeat(256)).orElseThrow().contains("255"));
    }

    @Test
    void missingBrickIsRefused() {
        assertEquals(Optional.of("brick is missing"), TileRules.brickProblem(null));
    }

    @Test
    void timestampsAreNonNegativeFiniteSeconds() {
        assertEquals(Optional.empty(), TileRules.timestampProblem(0));
        assertEquals(Optional.empty(), TileRules.timestampProblem(1732400000.25));
        assertTrue(TileRules.timestampProblem(-0.5).isPresent());
        assertTrue(TileRules.timestampProblem(Double.NaN).isPresent());
        assertTrue(TileRules.timestampProblem(Double.POSITIVE_INFINITY).isPresent());
    }

    @Test
    void aTileCannotBeBuiltAgainstTheRules() {
        assertThrows(IllegalArgumentException.class, () -> new Tile(0, 0, "../x.png", 1));
        assertThrows(IllegalArgumentException.class, () -> new Tile(0, 0, "x.png", -1));
        Tile tile = new Tile(Integer.MIN_VALUE, 5, "x.png", 1.5);
        assertEquals("-2147483648,5", tile.key());
        assertEquals(CellKey.pack(Integer.MIN_VALUE, 5), tile.cell());
    }
}
