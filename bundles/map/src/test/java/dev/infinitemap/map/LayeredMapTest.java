package dev.infinitemap.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.PlacedTile;

class LayeredMapTest {

    private final LayeredMap map = new LayeredMap();

    @Test
    void eachAppliedDeltaGetsTheNextRevisionAndReportsItsCells() {
        MapChange first = map.apply(delta("terrain", 0, 1, List.of(tile(0, 0, "grass.png", 1), tile(1, 0, "road.png", 1))));
        MapChange second = map.apply(new TileDelta("terrain", 0, 2, List.of(), new long[] { CellKey.pack(1, 0) }));

        assertEquals(1, first.revision());
        assertEquals(2, first.put().size());
        assertEquals(2, second.revision());
        assertArrayEquals(new long[] { CellKey.pack(1, 0) }, second.removedCells());
        assertEquals(1, map.tileCount());
    }

    @Test
    void aHigherLayerCoversALowerOneAndRemovingItRevealsTheLowerTile() {
        map.apply(delta("terrain", 0, 1, List.of(tile(5, 5, "grass.png", 100))));
        MapChange covered = map.apply(delta("roads", 10, 1, List.of(tile(5, 5, "road.png", 1))));
        assertEquals("road.png", covered.put().get(0).tile().brick());

        MapChange revealed = map.apply(new TileDelta("roads", 10, 2, List.of(), new long[] { CellKey.pack(5, 5) }));
        assertEquals(0, revealed.removedCellCount(), "the cell is not empty: the lower tile shows again");
        assertEquals("grass.png", revealed.put().get(0).tile().brick());
        assertEquals("terrain", map.tile(CellKey.pack(5, 5)).compositor());
    }

    @Test
    void aChangeUnderACoveringTileChangesNothingVisibleButStillTakesARevision() {
        map.apply(delta("roads", 10, 1, List.of(tile(1, 1, "road.png", 1))));
        MapChange hidden = map.apply(delta("terrain", 0, 1, List.of(tile(1, 1, "grass.png", 1))));
        assertEquals(2, hidden.revision());
        assertTrue(hidden.put().isEmpty());
        assertEquals(0, hidden.removedCellCount());
        assertArrayEquals(new long[] { CellKey.pack(1, 1) }, hidden.changedBelowCells(), "named as changed below the top");
    }

    @Test
    void onTheSameLayerTheMostRecentTimestampWinsWhateverTheArrivalOrder() {
        map.apply(delta("b", 3, 1, List.of(tile(0, 0, "new.png", 200))));
        map.apply(delta("a", 3, 1, List.of(tile(0, 0, "old.png", 100))));
        assertEquals("new.png", map.tile(0).tile().brick());
    }

    @Test
    void inAClusterAFullTieHasTheSameWinnerOnEveryRuntimeWhicheverCompositorIsLocal() {
        // Runtime a has "pond" locally and b's as "pond@b"; runtime b the other way round; and a
        // name that sorts between the two ("pond-x") must not change the verdict.
        for (String other : List.of("pond", "pond-x")) {
            LayeredMap onA = new LayeredMap(0, name -> name.contains("@") ? name : name + "@a");
            LayeredMap onB = new LayeredMap(0, name -> name.contains("@") ? name : name + "@b");
            onA.apply(delta(other, 0, 1, List.of(tile(0, 0, "reed.png", 1))));
            onA.apply(delta("pond@b", 0, 1, List.of(tile(0, 0, "water.png", 1))));
            onB.apply(delta("pond", 0, 1, List.of(tile(0, 0, "water.png", 1))));
            onB.apply(delta(other + "@a", 0, 1, List.of(tile(0, 0, "reed.png", 1))));
            long cell = CellKey.pack(0, 0);
            assertEquals(onA.tile(cell).tile().brick(), onB.tile(cell).tile().brick(), "the same tile shows on a and b, with " + other);
            assertEquals(onA.stack(cell).stream().map(p -> p.tile().brick()).toList(), onB.stack(cell).stream().map(p -> p.tile().brick()).toList(),
                    "and the stacks agree");
        }
    }

    @Test
    void aDeltaAppliedTwiceChangesTheMapOnce() {
        TileDelta delta = delta("terrain", 0, 1, List.of(tile(0, 0, "grass.png", 1)));
        assertEquals(1, map.apply(delta).revision());
        assertNull(map.apply(delta), "the duplicate is skipped");
        map.apply(new TileDelta("terrain", 0, 2, List.of(), new long[] { 0 }));
        assertNull(map.apply(delta), "a late duplicate cannot bring a removed tile back");
        assertEquals(0, map.tileCount());
        assertEquals(2, map.revision());
    }

    @Test
    void aCompositorThatChangesLayerMovesAllItsTiles() {
        map.apply(delta("terrain", 0, 1, List.of(tile(0, 0, "grass.png", 1), tile(1, 0, "grass.png", 1))));
        map.apply(delta("roads", 5, 1, List.of(tile(0, 0, "road.png", 1))));
        MapChange moved = map.apply(delta("terrain", 9, 2, List.of(tile(2, 0, "grass.png", 1))));
        PlacedTile top = map.tile(CellKey.pack(0, 0));
        assertEquals("terrain", top.compositor());
        assertEquals(9, top.layer());
        assertTrue(moved.put().stream().anyMatch(t -> t.tile().x() == 2));
    }

    @Test
    void aRectangleQueryReturnsExactlyTheCellsInside() {
        map.apply(delta("t", 0, 1, List.of(tile(-1, -1, "a.png", 1), tile(0, 0, "a.png", 1), tile(3, 3, "a.png", 1),
                tile(Integer.MAX_VALUE, Integer.MIN_VALUE, "edge.png", 1))));
        assertEquals(2, map.tiles(-1, -1, 2, 2).size());
        assertEquals(1, map.tiles(Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE).size());
        assertEquals(4, map.tiles(Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE).size());
    }

    @Test
    void theComposedViewWithOrWithoutHiddenCompositorsAlwaysEqualsABruteForceComposition() {
        java.util.Random random = new java.util.Random(11);
        String[] names = { "a", "b", "c" };
        int[] layers = { 0, 0, 2 };
        long[] sequences = new long[3];
        java.util.Map<String, java.util.Map<Long, PlacedTile>> shadow = new java.util.HashMap<>();
        for (int step = 0; step < 3000; step++) {
            int c = random.nextInt(3);
            if (random.nextInt(50) == 0) {
                layers[c] = random.nextInt(3); // sometimes a compositor changes layer
            }
            List<Tile> put = new java.util.ArrayList<>();
            java.util.Set<Long> cells = new java.util.HashSet<>();
            for (int i = 0; i < 5; i++) {
                Tile t = tile(random.nextInt(6), random.nextInt(6), "b" + random.nextInt(3) + ".png", random.nextInt(4));
                if (cells.add(t.cell())) {
                    put.add(t);
                }
            }
            long[] removed = java.util.stream.LongStream.generate(() -> CellKey.pack(random.nextInt(6), random.nextInt(6)))
                    .limit(2).filter(cell -> !cells.contains(cell)).distinct().toArray();
            java.util.Map<java.util.Set<String>, java.util.Map<Long, PlacedTile>> before = new java.util.HashMap<>();
            for (java.util.Set<String> hidden : HIDDEN_SETS) {
                before.put(hidden, shownWithout(shadow, hidden));
            }
            MapChange change = map.apply(new TileDelta(names[c], layers[c], ++sequences[c], put, removed));

            java.util.Map<Long, PlacedTile> own = shadow.computeIfAbsent(names[c], k -> new java.util.HashMap<>());
            int layer = layers[c];
            own.replaceAll((cell, t) -> new PlacedTile(t.tile(), names[c], layer));
            for (long cell : removed) {
                own.remove(cell);
            }
            put.forEach(t -> own.put(t.cell(), new PlacedTile(t, names[c], layer)));

            assertEquals(shownWithout(shadow, java.util.Set.of()), byCell(map.tiles(0, 0, 5, 5)), "the composed view after step " + step);
            java.util.Set<Long> reported = cellsOf(change.put());
            java.util.Arrays.stream(change.removedCells()).forEach(reported::add);
            java.util.Arrays.stream(change.changedBelowCells()).forEach(reported::add);
            for (java.util.Set<String> hidden : HIDDEN_SETS) {
                java.util.Map<Long, PlacedTile> expected = shownWithout(shadow, hidden);
                assertEquals(expected, byCell(map.tiles(0, 0, 5, 5, hidden)), "without " + hidden + " after step " + step);
                for (int x = 0; x < 6; x++) {
                    for (int y = 0; y < 6; y++) {
                        long cell = CellKey.pack(x, y);
                        if (!java.util.Objects.equals(before.get(hidden).get(cell), expected.get(cell))) {
                            assertTrue(reported.contains(cell), "cell " + x + "," + y + " changed without " + hidden
                                    + " at step " + step + " but the change does not name it: " + change);
                        }
                    }
                }
                int shift = random.nextInt(5);
                java.util.Map<Long, Long> firstPerSquare = new java.util.HashMap<>();
                expected.keySet().stream().sorted(java.util.Comparator.comparingLong(LayeredMapTest::chunkOrder)).forEach(cell -> firstPerSquare
                        .putIfAbsent(CellKey.pack(CellKey.x(cell) >> shift, CellKey.y(cell) >> shift), cell));
                java.util.Map<Long, PlacedTile> expectedOverview = new java.util.HashMap<>();
                firstPerSquare.values().forEach(cell -> expectedOverview.put(cell, expected.get(cell)));
                assertEquals(expectedOverview, byCell(map.overview(0, 0, 5, 5, shift, hidden)),
                        "overview with squares of " + (1 << shift) + " without " + hidden + " after step " + step);
            }
        }
    }

    private static final List<java.util.Set<String>> HIDDEN_SETS = List.of(java.util.Set.of("a"), java.util.Set.of("c"), java.util.Set.of("a", "c"));

    /** Per cell the tile that covers the others', leaving the hidden compositors out: what the map is meant to show. */
    private static java.util.Map<Long, PlacedTile> shownWithout(java.util.Map<String, java.util.Map<Long, PlacedTile>> shadow,
            java.util.Set<String> hidden) {
        java.util.Map<Long, PlacedTile> shown = new java.util.HashMap<>();
        shadow.forEach((compositor, tiles) -> {
            if (!hidden.contains(compositor)) {
                tiles.forEach((cell, candidate) -> shown.merge(cell, candidate, (a, b) -> b.covers(a) ? b : a));
            }
        });
        return shown;
    }

    private static java.util.Map<Long, PlacedTile> byCell(List<PlacedTile> tiles) {
        java.util.Map<Long, PlacedTile> result = new java.util.HashMap<>();
        tiles.forEach(t -> assertNull(result.put(t.tile().cell(), t), "one tile per cell"));
        return result;
    }

    @Test
    void rectanglesAndOverviewsAlwaysAgreeWithAWalkOfTheWholeMap() {
        java.util.Random random = new java.util.Random(7);
        long sequence = 0;
        for (int step = 0; step < 300; step++) {
            List<Tile> put = new java.util.ArrayList<>();
            java.util.Set<Long> cells = new java.util.HashSet<>();
            for (int i = 0; i < 40; i++) {
                Tile t = tile(random.nextInt(120) - 60, random.nextInt(120) - 60, "a.png", step);
                if (cells.add(t.cell())) {
                    put.add(t);
                }
            }
            long[] removed = java.util.stream.LongStream.generate(() -> CellKey.pack(random.nextInt(120) - 60, random.nextInt(120) - 60))
                    .limit(30).filter(cell -> !cells.contains(cell)).distinct().toArray();
            map.apply(new TileDelta("t", 0, ++sequence, put, removed));

            int x0 = random.nextInt(140) - 70;
            int y0 = random.nextInt(140) - 70;
            int x1 = x0 + random.nextInt(80);
            int y1 = y0 + random.nextInt(80);
            List<Long> all = new java.util.ArrayList<>();
            map.composed().forEachEntry((cell, t) -> all.add(cell));
            java.util.Set<Long> inside = new java.util.HashSet<>();
            for (long cell : all) {
                if (CellKey.x(cell) >= x0 && CellKey.x(cell) <= x1 && CellKey.y(cell) >= y0 && CellKey.y(cell) <= y1) {
                    inside.add(cell);
                }
            }
            assertEquals(inside, cellsOf(map.tiles(x0, y0, x1, y1)), "rectangle after step " + step);

            int shift = random.nextInt(7);
            java.util.Map<Long, Long> firstPerSquare = new java.util.HashMap<>();
            inside.stream().sorted(java.util.Comparator.comparingLong(LayeredMapTest::chunkOrder)).forEach(cell -> firstPerSquare
                    .putIfAbsent(CellKey.pack(CellKey.x(cell) >> shift, CellKey.y(cell) >> shift), cell));
            assertEquals(new java.util.HashSet<>(firstPerSquare.values()), cellsOf(map.overview(x0, y0, x1, y1, shift)),
                    "overview with squares of " + (1 << shift) + " after step " + step);
        }
        assertEquals(map.tileCount(), map.tiles(Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE).size());
    }

    /** The order the overview picks the first tile of a square in: chunks of 16 in rows, then cells in rows. */
    @Test
    void theBoundsHoldEveryTileExactlyAndFollowRemovals() {
        assertNull(map.bounds(), "an empty map has none");
        map.apply(delta("a", 0, 1, List.of(tile(3, -7, "a.png", 1), tile(-40, 5, "a.png", 1), tile(100, 90, "a.png", 1),
                tile(Integer.MIN_VALUE, Integer.MAX_VALUE, "a.png", 1))));
        assertArrayEquals(new int[] { Integer.MIN_VALUE, -7, 100, Integer.MAX_VALUE }, map.bounds());
        map.apply(new TileDelta("a", 0, 2, List.of(), new long[] { CellKey.pack(Integer.MIN_VALUE, Integer.MAX_VALUE) }));
        assertArrayEquals(new int[] { -40, -7, 100, 90 }, map.bounds(), "to the cell, not to the chunk of 16");
        map.apply(new TileDelta("a", 0, 3, List.of(), new long[] { CellKey.pack(3, -7), CellKey.pack(-40, 5), CellKey.pack(100, 90) }));
        assertNull(map.bounds());
    }

    @Test
    void aCellsStackListsEveryCompositorsTileShownFirstThenInTheOrderTheyWouldShow() {
        map.apply(delta("low", 0, 1, List.of(tile(1, 1, "low.png", 9))));
        map.apply(delta("high", 2, 1, List.of(tile(1, 1, "high.png", 1))));
        map.apply(delta("mid-old", 1, 1, List.of(tile(1, 1, "old.png", 1))));
        map.apply(delta("mid-new", 1, 1, List.of(tile(1, 1, "new.png", 2))));
        assertEquals(List.of("high", "mid-new", "mid-old", "low"), map.stack(CellKey.pack(1, 1)).stream().map(PlacedTile::compositor).toList());
        assertEquals(map.tile(CellKey.pack(1, 1)), map.stack(CellKey.pack(1, 1)).get(0), "the first is the tile shown");
        assertEquals(List.of(), map.stack(CellKey.pack(2, 1)));

        map.apply(new TileDelta("high", 2, 2, List.of(), new long[] { CellKey.pack(1, 1) }));
        assertEquals(List.of("mid-new", "mid-old", "low"), map.stack(CellKey.pack(1, 1)).stream().map(PlacedTile::compositor).toList());
        assertEquals(map.tile(CellKey.pack(1, 1)), map.stack(CellKey.pack(1, 1)).get(0));
    }

    @Test
    void eachLayersSummaryCountsItsShownAndCoveredTilesAndItsMostUsedBricks() {
        map.apply(delta("b", 1, 1, List.of(tile(0, 0, "x.png", 1), tile(5, -3, "y.png", 1), tile(-2, 8, "y.png", 1), tile(1, 1, "z.png", 1))));
        map.apply(delta("a", 9, 1, List.of(tile(0, 0, "top.png", 1))));
        List<dev.infinitemap.api.map.InfiniteMap.LayerSummary> layers = map.layers(2);
        assertEquals(List.of("a", "b"), layers.stream().map(l -> l.compositor()).toList(), "sorted by name");
        var b = layers.get(1);
        assertEquals(1, b.layer());
        assertEquals(4, b.tiles(), "its covered tile at 0,0 counts too");
        assertEquals(java.util.Optional.of(new dev.infinitemap.api.map.InfiniteMap.Bounds(-2, -3, 5, 8)), b.bounds());
        assertEquals(List.of(new dev.infinitemap.api.map.InfiniteMap.BrickCount("y.png", 2), new dev.infinitemap.api.map.InfiniteMap.BrickCount("x.png", 1)),
                b.bricks(), "most used first, ties by name, at most 2");

        map.apply(new TileDelta("a", 9, 2, List.of(), new long[] { CellKey.pack(0, 0) }));
        var emptied = map.layers(2).get(0);
        assertEquals(0, emptied.tiles());
        assertEquals(java.util.Optional.empty(), emptied.bounds());
        assertEquals(List.of(), emptied.bricks());
    }

    @Test
    void aLayersSummaryIsCountedAgainOnlyAfterItsOwnDelta() {
        map.apply(delta("big", 0, 1, List.of(tile(0, 0, "a.png", 1), tile(1, 0, "a.png", 1), tile(2, 0, "b.png", 1))));
        map.apply(delta("tick", 1, 1, List.of(tile(0, 5, "t.png", 1))));
        var first = map.layers(2);
        map.apply(delta("tick", 1, 2, List.of(tile(0, 5, "u.png", 2))));
        var second = map.layers(2);
        assertSame(first.get(0), second.get(0), "big had no delta: its summary is the one kept");
        assertEquals(List.of(new dev.infinitemap.api.map.InfiniteMap.BrickCount("u.png", 1)), second.get(1).bricks(), "tick's is counted again");
        assertEquals(List.of(new dev.infinitemap.api.map.InfiniteMap.BrickCount("a.png", 2)), map.layers(1).get(0).bricks(), "fewer bricks from the kept one");

        List<Tile> many = new java.util.ArrayList<>();
        for (int i = 0; i < LayeredMap.KEPT_BRICKS + 4; i++) {
            many.add(tile(i, 9, "brick-" + (100 + i) + ".png", 1));
        }
        map.apply(delta("varied", 0, 1, many));
        var varied = map.layers(LayeredMap.KEPT_BRICKS + 4).stream().filter(l -> l.compositor().equals("varied")).findFirst().orElseThrow();
        assertEquals(LayeredMap.KEPT_BRICKS + 4, varied.bricks().size(), "more bricks than are kept are counted afresh");
        assertEquals("brick-100.png", varied.bricks().get(0).brick(), "ties by name");
    }

    private static long chunkOrder(long cell) {
        int x = CellKey.x(cell) + 64;
        int y = CellKey.y(cell) + 64;
        return ((long) (y >> 4) << 40) | ((long) (x >> 4) << 24) | ((y & 15) << 4) | (x & 15);
    }

    private static java.util.Set<Long> cellsOf(List<PlacedTile> tiles) {
        java.util.Set<Long> cells = new java.util.HashSet<>();
        tiles.forEach(t -> assertTrue(cells.add(t.tile().cell()), "each cell once"));
        return cells;
    }

    private static TileDelta delta(String compositor, int layer, long sequence, List<Tile> put) {
        return new TileDelta(compositor, layer, sequence, put, new long[0]);
    }

    private static Tile tile(int x, int y, String brick, double timestamp) {
        return new Tile(x, y, brick, timestamp);
    }
}
