package dev.infinitemap.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CellKeyTest {

    @ParameterizedTest(name = "({0}, {1}) survives packing")
    @CsvSource({ "0,0", "3,-7", "-1,-1", "2147483647,-2147483648", "-2147483648,2147483647",
            "-2147483648,-2147483648", "2147483647,2147483647", "-1,0", "0,-1" })
    void packingKeepsBothCoordinatesOverTheWhole32BitRange(int x, int y) {
        long cell = CellKey.pack(x, y);
        assertEquals(x, CellKey.x(cell));
        assertEquals(y, CellKey.y(cell));
    }

    @Test
    void neighbouringCellsPackToDifferentLongs() {
        assertNotEquals(CellKey.pack(0, -1), CellKey.pack(-1, 0));
        assertNotEquals(CellKey.pack(1, 0), CellKey.pack(0, 1));
    }

    @Test
    void formatWritesNoSpaces() {
        assertEquals("3,-7", CellKey.format(3, -7));
        assertEquals("-2147483648,2147483647", CellKey.format(CellKey.pack(Integer.MIN_VALUE, Integer.MAX_VALUE)));
    }

    @ParameterizedTest(name = "\"{0}\" parses")
    @CsvSource(delimiter = ';', value = { "3,-7;3;-7", " 3 , -7 ;3;-7", "+4,0;4;0",
            "2147483647,-2147483648;2147483647;-2147483648" })
    void parseAcceptsIntegersWithOptionalSpaces(String key, int x, int y) {
        assertEquals(CellKey.pack(x, y), CellKey.parse(key));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = { "", "3", "3,", ",3", "3,4,5", "a,1", "1.5,2", "2147483648,0", "0,-2147483649", "1;2", "0x1,2", "1 2,3" })
    void parseRefusesWhatIsNotTwo32BitIntegers(String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellKey.parse(key));
        assertTrue(e.getMessage().contains("cell key"), e.getMessage());
    }

    @Test
    void parseNamesTheRangeWhenACoordinateOverflows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellKey.parse("2147483648,0"));
        assertTrue(e.getMessage().contains("32-bit"), e.getMessage());
    }
}
