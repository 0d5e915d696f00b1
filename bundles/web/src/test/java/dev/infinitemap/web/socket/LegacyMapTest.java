package dev.infinitemap.web.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;
import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.PlacedTile;

class LegacyMapTest {

    private static final long TOMBSTONE_MILLIS = 60_000;

    @Test
    void aCellsTimestampGrowsWithEveryChangeWhateverTheTilesOwnTimestamps() {
        Random random = new Random(7);
        long now = 1_800_000_000_000L;
        LegacyMap legacy = new LegacyMap(new InfiniteMap.Snapshot(1, List.of(placed(0, 0, "a.png", 5))), now);
        Map<Long, LegacyMap.Cell> lastShown = shown(legacy, now);
        for (long revision = 2; revision < 2_000; revision++) {
            now += random.nextInt(3); // several changes in one millisecond too
            List<PlacedTile> put = new ArrayList<>();
            List<Long> removed = new ArrayList<>();
            for (int i = random.nextInt(4); i >= 0; i--) {
                int x = random.nextInt(6);
                if (random.nextInt(4) == 0) {
                    removed.add(CellKey.pack(x, 0));
                } else {
                    // Old, equal, current and far-future timestamps alike.
                    double timestamp = switch (random.nextInt(4)) {
                        case 0 -> 5;
                        case 1 -> random.nextInt(100);
                        case 2 -> now / 1000.0;
                        default -> 4e9 + random.nextInt(10);
                    };
                    put.add(placed(x, 0, "b" + random.nextInt(3) + ".png", timestamp));
                }
            }
            put.removeIf(p -> removed.contains(CellKey.pack(p.tile().x(), p.tile().y())));
            MapChange change = new MapChange(revision, "test", dedupe(put), removed.stream().distinct().mapToLong(Long::longValue).toArray());
            LegacyMap.Stamp stamp = legacy.record(change, now, TOMBSTONE_MILLIS);
            Map<Long, LegacyMap.Cell> shown = shown(legacy, now);
            for (PlacedTile placed : change.put()) {
                long key = CellKey.pack(placed.tile().x(), placed.tile().y());
                assertGrew(lastShown.get(key), shown.get(key));
                assertTrue(shown.get(key).timestamp() >= placed.tile().timestamp(), "never below the tile's own timestamp");
                assertEquals(shown.get(key).timestamp(), stamp.of(placed.tile().timestamp()), "the socket says what the manifest says");
            }
            for (long key : change.removedCells()) {
                assertGrew(lastShown.get(key), shown.get(key));
                assertEquals(LegacyMap.REMOVED_BRICK, shown.get(key).brick());
                assertTrue(shown.get(key).timestamp() >= now / 1000.0, "a removal is at least the time it happened");
            }
            lastShown = shown;
        }
    }

    @Test
    void aFreshTimestampIsKeptAndAnOlderOneReplacedByTheChangesTime() {
        long now = 1_800_000_000_000L;
        LegacyMap legacy = new LegacyMap(new InfiniteMap.Snapshot(1, List.of()), now);
        legacy.record(new MapChange(2, "w", List.of(placed(1, 1, "a.png", 1_800_000_005.5)), new long[0]), now, TOMBSTONE_MILLIS);
        assertEquals(1_800_000_005.5, shown(legacy, now).get(CellKey.pack(1, 1)).timestamp(), "the writer's own, newer than anything shown");
        legacy.record(new MapChange(3, "w", List.of(placed(1, 1, "b.png", 1_800_000_005.5)), new long[0]), now + 1, TOMBSTONE_MILLIS);
        double again = shown(legacy, now + 1).get(CellKey.pack(1, 1)).timestamp();
        assertTrue(again > 1_800_000_005.5 && again < 1_800_000_005.6, "just above what was shown: " + again);
        assertNull(legacy.record(new MapChange(3, "w", List.of(), new long[0]), now, TOMBSTONE_MILLIS), "a revision it has is not applied twice");
    }

    @Test
    void aTombstoneLastsItsTimeThenGoes() {
        long now = 1_800_000_000_000L;
        LegacyMap legacy = new LegacyMap(new InfiniteMap.Snapshot(1, List.of(placed(2, 2, "a.png", 1))), now);
        legacy.record(new MapChange(2, "w", List.of(), new long[] { CellKey.pack(2, 2) }), now, TOMBSTONE_MILLIS);
        assertEquals(LegacyMap.REMOVED_BRICK, shown(legacy, now + TOMBSTONE_MILLIS - 1).get(CellKey.pack(2, 2)).brick());
        assertNull(shown(legacy, now + TOMBSTONE_MILLIS).get(CellKey.pack(2, 2)));
    }

    private static void assertGrew(LegacyMap.Cell before, LegacyMap.Cell after) {
        if (before != null) {
            assertTrue(after.timestamp() > before.timestamp(), "from " + before + " to " + after);
        }
    }

    private static Map<Long, LegacyMap.Cell> shown(LegacyMap legacy, long now) {
        Map<Long, LegacyMap.Cell> cells = new HashMap<>();
        for (LegacyMap.Cell cell : legacy.view(now, TOMBSTONE_MILLIS).cells()) {
            cells.put(cell.key(), cell);
        }
        return cells;
    }

    private static List<PlacedTile> dedupe(List<PlacedTile> put) {
        Map<Long, PlacedTile> last = new HashMap<>();
        for (PlacedTile placed : put) {
            last.put(CellKey.pack(placed.tile().x(), placed.tile().y()), placed);
        }
        return new ArrayList<>(last.values());
    }

    private static PlacedTile placed(int x, int y, String brick, double timestamp) {
        return new PlacedTile(new Tile(x, y, brick, timestamp), "test", 0);
    }
}
