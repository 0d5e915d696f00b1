package dev.infinitemap.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.CellKey;

class LongObjectMapTest {

    @Test
    void behavesLikeAHashMapUnderRandomPutsAndRemoves() {
        Random random = new Random(42);
        LongObjectMap<String> map = new LongObjectMap<>();
        Map<Long, String> reference = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            // A small coordinate range forces collisions, long probe runs and many removals.
            long key = CellKey.pack(random.nextInt(64) - 32, random.nextInt(64) - 32);
            if (random.nextInt(3) == 0) {
                assertEquals(reference.remove(key), map.remove(key));
            } else {
                String value = "v" + i;
                assertEquals(reference.put(key, value), map.put(key, value));
            }
            if (i % 10_000 == 0) {
                assertEquals(reference.size(), map.size());
                reference.forEach((k, v) -> assertEquals(v, map.get(k)));
            }
        }
        assertEquals(reference.size(), map.size());
        reference.forEach((k, v) -> assertEquals(v, map.get(k)));
    }

    @Test
    void cellZeroAndTheExtremeCellsAreOrdinaryKeys() {
        LongObjectMap<String> map = new LongObjectMap<>();
        map.put(CellKey.pack(0, 0), "origin");
        map.put(CellKey.pack(Integer.MIN_VALUE, Integer.MIN_VALUE), "min");
        map.put(CellKey.pack(Integer.MAX_VALUE, Integer.MAX_VALUE), "max");
        assertEquals("origin", map.get(0));
        assertEquals("min", map.get(CellKey.pack(Integer.MIN_VALUE, Integer.MIN_VALUE)));
        assertEquals("max", map.remove(CellKey.pack(Integer.MAX_VALUE, Integer.MAX_VALUE)));
        assertNull(map.get(CellKey.pack(Integer.MAX_VALUE, Integer.MAX_VALUE)));
        assertEquals(2, map.size());
    }

    @Test
    void growsPastItsFirstCapacity() {
        LongObjectMap<Integer> map = new LongObjectMap<>();
        for (int i = 0; i < 100_000; i++) {
            map.put(CellKey.pack(i, -i), i);
        }
        assertEquals(100_000, map.size());
        assertEquals(77_777, map.get(CellKey.pack(77_777, -77_777)));
    }
}
