package dev.infinitemap.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;

class RemoteLayersTest {

    private final MemoryLog log = new MemoryLog();
    private final MemoryLog.LocalMap map = new MemoryLog.LocalMap();
    private final List<TileDelta> posted = new java.util.ArrayList<>();
    private final RemoteLayers remote = new RemoteLayers("self", delta -> {
        posted.add(delta);
        map.apply(delta);
    }, 1_000);

    @Test
    void aDeltaReachesTheMapOnceAllItsPartsHaveComeAndOnlyOnce() {
        MemoryLog.Origin b = log.origin("b", 1);
        b.delta("terrain", 3, cells(tile(0, 0, "grass.png"), tile(1, 0, "road.png"), tile(2, 0, "road.png")));
        remote.caughtUp();
        LayerRecord first = (LayerRecord) log.records.get(0);
        remote.record(first);
        remote.record(first);
        remote.record((LayerRecord) log.records.get(1));
        assertEquals(List.of(), posted, "two of three parts, one of them twice: nothing yet");
        remote.record((LayerRecord) log.records.get(2));
        assertEquals(1, posted.size());
        TileDelta delta = posted.get(0);
        assertEquals("terrain@b", delta.compositor());
        assertEquals(3, delta.layer());
        assertEquals(1_001, delta.sequence(), "numbered by this runtime, after its start");
        assertEquals(b.truth.get("terrain"), map.layer("terrain@b"));
        log.records.forEach(r -> remote.record((LayerRecord) r)); // the whole delta again
        assertEquals(1, posted.size(), "applied once");
        assertEquals(3, remote.dropped());
    }

    @Test
    void aBigDeltaThatTheEndOfCatchingUpCutsInTwoShowsWhatCameThenTheRestLiveInOneDelta() {
        MemoryLog.Origin b = log.origin("b", 1);
        b.delta("terrain", 0, cells(tile(0, 0, "a.png"), tile(1, 0, "a.png"), tile(2, 0, "a.png"), tile(3, 0, "a.png")));
        remote.record((LayerRecord) log.records.get(0));
        remote.record((LayerRecord) log.records.get(1));
        remote.caughtUp(); // the end taken at start fell between two of the delta's transactions
        assertEquals(cells(tile(0, 0, "a.png"), tile(1, 0, "a.png")), map.layer("terrain@b"), "what was in the log at the end");
        remote.record((LayerRecord) log.records.get(2));
        assertEquals(1, posted.size(), "the rest waits for all of itself");
        remote.record((LayerRecord) log.records.get(3));
        assertEquals(2, posted.size());
        assertEquals(b.truth.get("terrain"), map.layer("terrain@b"), "the whole delta");
        assertEquals(0, remote.unfinished());
    }

    @Test
    void recordsInterleavedDuplicatedAndReadAgainGiveExactlyEachRuntimesLayers() {
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            MemoryLog shared = new MemoryLog();
            MemoryLog.Origin b = shared.origin("b", 5);
            MemoryLog.Origin c = shared.origin("c", 9);
            MemoryLog.Origin self = shared.origin("self", 1);
            for (int i = 0; i < 60; i++) {
                MemoryLog.Origin writer = List.of(b, c, self).get(random.nextInt(3));
                writer.randomDelta(random, random.nextBoolean() ? "terrain" : "roads", random.nextInt(3));
            }
            MemoryLog.LocalMap local = new MemoryLog.LocalMap();
            RemoteLayers layers = new RemoteLayers("self", local::apply, 0);
            layers.caughtUp();
            MemoryLog.delivered(shared.records, random).forEach(r -> layers.record((LayerRecord) r));
            assertExact(local, List.of(b, c), "seed " + seed);
            assertEquals(java.util.Set.of(), local.skipped, "every delta posted is new to the map, seed " + seed);
            assertTrue(local.layers.keySet().stream().noneMatch(name -> name.endsWith("@self")), "its own records are skipped");
        }
    }

    @Test
    void aLateJoinerCatchesUpFromTheCompactedLogWithOneDeltaPerLayerThenFollowsLive() {
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            MemoryLog shared = new MemoryLog();
            MemoryLog.Origin b = shared.origin("b", 5);
            MemoryLog.Origin c = shared.origin("c", 9);
            b.online();
            c.online();
            for (int i = 0; i < 80; i++) {
                (random.nextBoolean() ? b : c).randomDelta(random, random.nextBoolean() ? "terrain" : "roads", 1);
            }
            List<Object> history = shared.compacted(shared.records, random.nextBoolean());
            int end = shared.records.size();
            for (int i = 0; i < 40; i++) {
                (random.nextBoolean() ? b : c).randomDelta(random, random.nextBoolean() ? "terrain" : "roads", 1);
            }
            MemoryLog.LocalMap local = new MemoryLog.LocalMap();
            RemoteLayers layers = new RemoteLayers("self", local::apply, 0);
            for (Object record : MemoryLog.delivered(history, random)) {
                deliver(layers, record);
            }
            assertEquals(0, local.deltas, "nothing reaches the map while catching up, seed " + seed);
            layers.caughtUp();
            assertTrue(local.deltas <= 4, "at most one delta per layer, seed " + seed + ": " + local.deltas);
            Map<String, Map<Long, Tile>> atTheEnd = replay(shared.records.subList(0, end));
            for (Map.Entry<String, Map<Long, Tile>> layer : atTheEnd.entrySet()) {
                assertEquals(layer.getValue(), local.layer(layer.getKey()), "caught up: " + layer.getKey() + ", seed " + seed);
            }
            MemoryLog.delivered(shared.records.subList(end, shared.records.size()), random).forEach(r -> deliver(layers, r));
            assertExact(local, List.of(b, c), "live after catching up, seed " + seed);
        }
    }

    @Test
    void anOlderIncarnationsRecordsAreDroppedOnceANewerOneIsHeardOf() {
        remote.caughtUp();
        MemoryLog.Origin old = log.origin("b", 1);
        MemoryLog.Origin restarted = log.origin("b", 2);
        old.delta("terrain", 0, cells(tile(0, 0, "old.png")));
        restarted.delta("terrain", 0, cells(tile(0, 0, "new.png")));
        old.delta("terrain", 0, cells(tile(0, 0, "zombie.png"))); // written by the old one after the new one started
        log.records.forEach(r -> remote.record((LayerRecord) r));
        assertEquals("new.png", map.layer("terrain@b").get(0L).brick(), "the new incarnation's sequence starts again, and wins");

        MemoryLog.Origin later = log.origin("b", 3);
        remote.runtime(new RuntimeRecord("b", 3, RuntimeRecord.State.ONLINE, RuntimeRecord.OnDeath.REMOVE));
        restarted.delta("terrain", 0, cells(tile(0, 0, "stale.png")));
        remote.record((LayerRecord) log.records.get(log.records.size() - 1));
        assertEquals("new.png", map.layer("terrain@b").get(0L).brick(), "epoch 2 is older than the online epoch 3");
        later.delta("terrain", 0, cells(tile(0, 0, "third.png")));
        remote.record((LayerRecord) log.records.get(log.records.size() - 1));
        assertEquals("third.png", map.layer("terrain@b").get(0L).brick());
        assertEquals(2, remote.dropped());
    }

    @Test
    void aRuntimeDeclaredGoneTakesItsTilesAlongOrLeavesThemAsItsPolicySays() {
        remote.caughtUp();
        MemoryLog.Origin b = log.origin("b", 4);
        MemoryLog.Origin c = log.origin("c", 7);
        b.delta("terrain", 0, cells(tile(0, 0, "grass.png"), tile(1, 0, "grass.png")));
        b.delta("roads", 2, cells(tile(1, 0, "road.png")));
        c.delta("terrain", 0, cells(tile(5, 5, "sand.png")));
        log.records.forEach(r -> remote.record((LayerRecord) r));

        remote.runtime(new RuntimeRecord("b", 4, RuntimeRecord.State.GONE, RuntimeRecord.OnDeath.REMOVE));
        assertEquals(Map.of(), map.layer("terrain@b"));
        assertEquals(Map.of(), map.layer("roads@b"));
        int deltas = posted.size();
        remote.runtime(new RuntimeRecord("b", 4, RuntimeRecord.State.GONE, RuntimeRecord.OnDeath.REMOVE));
        b.delta("terrain", 0, cells(tile(9, 9, "late.png")));
        remote.record((LayerRecord) log.records.get(log.records.size() - 1));
        assertEquals(deltas, posted.size(), "a second decision and a late record of the gone incarnation change nothing");

        remote.runtime(new RuntimeRecord("c", 7, RuntimeRecord.State.GONE, RuntimeRecord.OnDeath.KEEP));
        assertEquals(c.truth.get("terrain"), map.layer("terrain@c"), "kept");
        assertEquals(List.of(new RemoteLayers.RemoteLayer("terrain@c", "c", "terrain", 0, 7, 1, true)), remote.layers());
        c.delta("terrain", 0, cells(tile(5, 5, "zombie.png"), tile(6, 6, "zombie.png"))); // c was paused, not dead, and wrote before it read the decision
        log.records.subList(log.records.size() - 2, log.records.size()).forEach(r -> remote.record((LayerRecord) r));
        assertEquals(Map.of(CellKey.pack(5, 5), tile(5, 5, "sand.png")), map.layer("terrain@c"), "kept as it was at the decision");

        MemoryLog.Origin back = log.origin("b", 5);
        back.delta("terrain", 0, cells(tile(3, 3, "back.png")));
        remote.record((LayerRecord) log.records.get(log.records.size() - 1));
        assertEquals(back.truth.get("terrain"), map.layer("terrain@b"), "a new incarnation draws again");
    }

    @Test
    void aDeltaHalfWrittenByARuntimeThenDeclaredGoneIsNeverShown() {
        remote.caughtUp();
        MemoryLog.Origin b = log.origin("b", 4);
        b.delta("terrain", 0, cells(tile(0, 0, "grass.png")));
        b.delta("terrain", 0, cells(tile(1, 0, "big.png"), tile(2, 0, "big.png"), tile(3, 0, "big.png")));
        log.records.subList(0, 3).forEach(r -> remote.record((LayerRecord) r)); // b was killed after two of the big delta's records
        assertEquals(1, posted.size());
        remote.runtime(new RuntimeRecord("b", 4, RuntimeRecord.State.GONE, RuntimeRecord.OnDeath.REMOVE));
        assertEquals(2, posted.size(), "one delta removing what was shown, none with the half-written delta");
        assertEquals(Map.of(), map.layer("terrain@b"));
        assertTrue(posted.get(1).upserts().isEmpty());
    }

    @Test
    void aLiveDeltaMissingPartsIsPostedAsItIsWhenTheLayersNextOneComes() {
        remote.caughtUp();
        MemoryLog.Origin b = log.origin("b", 1);
        b.delta("terrain", 0, cells(tile(0, 0, "a.png"), tile(1, 0, "a.png")));
        b.delta("terrain", 0, cells(tile(2, 0, "b.png")));
        remote.record((LayerRecord) log.records.get(0)); // its second part was compacted away
        remote.record((LayerRecord) log.records.get(2));
        assertEquals(2, posted.size());
        assertEquals(Map.of(CellKey.pack(0, 0), tile(0, 0, "a.png"), CellKey.pack(2, 0), tile(2, 0, "b.png")), map.layer("terrain@b"));
        assertEquals(1, remote.unfinished());
    }

    private static void deliver(RemoteLayers layers, Object record) {
        if (record instanceof LayerRecord cell) {
            layers.record(cell);
        } else {
            layers.runtime((RuntimeRecord) record);
        }
    }

    /** Each origin's layers as the log holds them after applying its records in order: the truth at a point of the log. */
    private static Map<String, Map<Long, Tile>> replay(List<Object> records) {
        Map<String, Map<Long, Tile>> layers = new LinkedHashMap<>();
        for (Object record : records) {
            if (record instanceof LayerRecord cell) {
                Map<Long, Tile> own = layers.computeIfAbsent(RemoteLayers.localName(cell.compositor(), cell.runtime()), n -> new java.util.HashMap<>());
                if (cell.tile() == null) {
                    own.remove(cell.cell());
                } else {
                    own.put(cell.cell(), cell.tile());
                }
            }
        }
        layers.values().removeIf(Map::isEmpty);
        return layers;
    }

    private static void assertExact(MemoryLog.LocalMap local, List<MemoryLog.Origin> origins, String what) {
        for (MemoryLog.Origin origin : origins) {
            origin.truth.forEach((compositor, cells) -> assertEquals(cells, local.layer(RemoteLayers.localName(compositor, origin.runtime)),
                    compositor + "@" + origin.runtime + ", " + what));
        }
    }

    private static Map<Long, Tile> cells(Tile... tiles) {
        Map<Long, Tile> cells = new LinkedHashMap<>();
        for (Tile tile : tiles) {
            cells.put(tile.cell(), tile);
        }
        return cells;
    }

    private static Tile tile(int x, int y, String brick) {
        return new Tile(x, y, brick, 1);
    }
}
