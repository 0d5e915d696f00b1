package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several runtimes sharing one map through a real Kafka broker: each a process of its own with
 * its own {@code deploy/}, all on loopback. The check is the one a user would make: every
 * runtime's {@code /infinitemap/manifest.json} holds the same cells. Each test has a map of its
 * own on the one broker, so that tests do not see each other's tiles.
 */
class ClusterIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern CELL_NAME = Pattern.compile("\"(-?\\d+,-?\\d+)\"");
    private static final Pattern CELL = Pattern.compile("\"(-?\\d+,-?\\d+)\":\\{([^}]*)\\}");

    @TempDir
    static Path dir;

    static KafkaBroker broker;

    private final List<RuntimeProcess> runtimes = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new KafkaBroker(dir.resolve("broker")).start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void stopRuntimes() throws Exception {
        for (RuntimeProcess runtime : runtimes) {
            runtime.close();
        }
    }

    @Test
    void aManifestInOneRuntimeIsOnTheOthersMapThroughEditsAndRemoval() throws Exception {
        RuntimeProcess a = runtime("edits", "a").start();
        RuntimeProcess b = runtime("edits", "b").start();

        a.deploy("field.manifest.json", TestManifests.row(0, 50, 0, "grass.png"));
        awaitSameMap("the 50 tiles of A's manifest on B", 50, a, b);

        // Three cells changed, two removed.
        StringBuilder edited = new StringBuilder("{");
        for (int x = 0; x < 48; x++) {
            edited.append(x == 0 ? "" : ",").append("\"").append(x).append(",0\":{\"brick\":\"")
                    .append(x < 3 ? "stone.png" : "grass.png").append("\",\"timestamp\":").append(x < 3 ? 2 : 1).append("}");
        }
        a.deploy("field.manifest.json", edited.append("}").toString().getBytes(StandardCharsets.UTF_8));
        awaitSameMap("A's edit on B", 48, a, b);
        assertEquals("\"brick\":\"stone.png\",\"timestamp\":2", cells(b).get("1,0"), "B has A's changed tile");

        b.deploy("pond.manifest.json", TestManifests.row(0, 10, 5, "water.png"));
        awaitSameMap("B's manifest on A beside A's", 58, a, b);
        RuntimeProcess.awaitCondition("A's compositor listed on B as remote, with its runtime and tiles", TIMEOUT, () -> b.body("/infinitemap/api/compositors")
                .contains("{\"name\":\"field@a\",\"kind\":\"remote\",\"runtime\":\"a\",\"compositor\":\"field\",\"layer\":0,\"tiles\":48,"));
        RuntimeProcess.awaitCondition("B's status naming its cluster, caught up, with A online", TIMEOUT, () -> {
            String status = b.body("/infinitemap/api/status");
            return status.contains("\"cluster\":{\"runtime\":\"b\",\"map\":\"edits\"") && status.contains("\"state\":\"caught-up\"")
                    && status.contains("\"runtimes\":[{\"runtime\":\"a\",\"state\":\"online\"");
        });

        Files.delete(a.home.resolve("deploy/field.manifest.json"));
        awaitSameMap("A's tiles gone from B, B's own kept", 10, a, b);
        assertTrue(cells(a).keySet().stream().allMatch(cell -> cell.endsWith(",5")), "only B's pond is left: " + cells(a).keySet());

        // A full tie: a compositor of the same name on A, on the same cells, layer and timestamp.
        // Both show the same winner, by compositor@runtime: pond@b.
        a.deploy("pond.manifest.json", TestManifests.row(0, 10, 5, "reed.png"));
        RuntimeProcess.awaitCondition("both ponds in one cell on A and on B", TIMEOUT,
                () -> a.body("/infinitemap/api/cell?x=9&y=5").contains("pond@b") && b.body("/infinitemap/api/cell?x=9&y=5").contains("pond@a"));
        awaitSameMap("the same winner of the full tie on both", 10, a, b);
        assertEquals("\"brick\":\"water.png\",\"timestamp\":1", cells(a).get("9,5"), "pond@b wins on A and on B");

        // No loops: each runtime wrote only its own compositors' cells, never one it got from the other.
        assertEquals(Map.of("a", Set.of("field", "pond"), "b", Set.of("pond")), writers("edits"));
    }

    @Test
    void aRuntimeJoiningLateCatchesUpAndOneThatStopsTakesItsTilesAlong() throws Exception {
        RuntimeProcess a = runtime("join", "a").start();
        RuntimeProcess b = runtime("join", "b").start();
        a.deploy("a.manifest.json", TestManifests.row(0, 100_000, 0, "a.png"));
        b.deploy("b.manifest.json", TestManifests.row(0, 1_000, 1, "b.png"));
        awaitSameMap("A's and B's tiles on both", 101_000, a, b);

        RuntimeProcess c = runtime("join", "c").start();
        awaitSameMap("everything on the late joiner C", 101_000, a, b, c);
        assertTrue(c.log().contains("Caught up with map \"join\""), c.log());

        assertEquals(0, a.stop(), "A stops cleanly");
        awaitSameMap("A's tiles gone from B and C once A stopped", 1_000, b, c);
        assertTrue(cells(b).keySet().stream().allMatch(cell -> cell.endsWith(",1")), "only B's tiles are left");
    }

    @Test
    void aRuntimeKilledLosesItsTilesOnTheOthersAfterTheDetectionTime() throws Exception {
        RuntimeProcess[] pair = pairWithTiles("crash");
        RuntimeProcess a = pair[0];
        RuntimeProcess b = pair[1];

        a.kill();
        awaitSameMap("A's tiles gone from B once A was silent for the detection time", 100, b);
        assertTrue(b.log().contains("Runtime a has not been heard of for 4000 ms: it is declared gone, and its tiles are removed."), b.log());
        RuntimeProcess.awaitCondition("B's status showing A gone", TIMEOUT,
                () -> b.body("/infinitemap/api/status").contains("{\"runtime\":\"a\",\"state\":\"gone\""));
    }

    @Test
    void aRuntimePausedPastTheDetectionTimeRejoinsWithItsTilesWhenResumed() throws Exception {
        RuntimeProcess[] pair = pairWithTiles("pause");
        RuntimeProcess a = pair[0];
        RuntimeProcess b = pair[1];

        a.signal("STOP");
        try {
            awaitSameMap("A's tiles gone from B while A is paused", 100, b);
        } finally {
            a.signal("CONT");
        }
        awaitSameMap("A's tiles back on B once A resumed and rejoined", 200, a, b);
        assertTrue(a.log().contains("it rejoins map \"pause\" with its 100 tiles"), a.log());

        // The new incarnation's changes reach B like any others.
        a.deploy("a.manifest.json", TestManifests.row(0, 30, 0, "again.png"));
        awaitSameMap("A's edit after the rejoin on B", 130, a, b);
        assertEquals("\"brick\":\"again.png\",\"timestamp\":1", cells(b).get("29,0"));
    }

    @Test
    void aKeptRuntimeKilledKeepsItsTilesUntilItComesBackAndThenShowsOnlyItsNewOnes() throws Exception {
        RuntimeProcess a = quickToDetect(runtime("keep", "a")).env("INFINITEMAP_CLUSTER_ON_DEATH", "keep").start();
        RuntimeProcess b = quickToDetect(runtime("keep", "b")).start();
        a.deploy("a.manifest.json", TestManifests.row(0, 100, 0, "a.png"));
        a.deploy("old.manifest.json", TestManifests.row(0, 20, 2, "old.png"));
        awaitSameMap("A's tiles on B", 120, a, b);

        a.kill();
        RuntimeProcess.awaitCondition("B declaring A gone", TIMEOUT, () -> b.log().contains("Runtime a has not been heard of"));
        assertEquals(120, cells(b).size(), "B keeps the tiles of a runtime whose policy is keep");

        // A comes back with one manifest changed and one gone: B shows exactly A's new state.
        Files.delete(a.home.resolve("deploy/old.manifest.json"));
        Files.write(a.home.resolve("deploy/a.manifest.json"), TestManifests.row(0, 60, 0, "new.png"));
        a.start();
        awaitSameMap("A's new tiles only, on A and B", 60, a, b);
        assertEquals("\"brick\":\"new.png\",\"timestamp\":1", cells(b).get("59,0"));
    }

    @Test
    void aRuntimeKilledMidWriteHoldsBackNobodyAndItsHalfWrittenDeltaGoesWithIt() throws Exception {
        int big = 300_000;
        RuntimeProcess a = quickToDetect(runtime("midwrite", "a")).start();
        RuntimeProcess b = quickToDetect(runtime("midwrite", "b")).start();
        RuntimeProcess c = quickToDetect(runtime("midwrite", "c")).start();
        c.deploy("c.manifest.json", TestManifests.row(0, 10, 1, "c.png"));
        awaitSameMap("C's tiles on B", 10, b, c);

        try (TopicEnd end = new TopicEnd("midwrite"); WsClient onB = new WsClient(b.port, "?mode=batch")) {
            long before = end.offset();
            a.deploy("a.manifest.json", TestManifests.row(0, big, 0, "a.png"));
            RuntimeProcess.awaitCondition("A writing its big delta", TIMEOUT, () -> end.offset() > before + 1_000);
            a.kill();
            int written = cellRecords("midwrite").getOrDefault("a", 0);
            assertTrue(written > 0 && written < big, "A was killed mid-write: " + written + " of its " + big + " records are in the topic");

            // A transaction left open by A would hold back every reader of committed records, C's edit too.
            c.deploy("c.manifest.json", TestManifests.row(0, 11, 1, "c.png"));
            awaitSameMap("C's edit on B", 11, b, c);
            RuntimeProcess.awaitCondition("B declaring A gone", TIMEOUT, () -> b.log().contains("Runtime a has not been heard of"));
            c.deploy("c.manifest.json", TestManifests.row(0, 12, 1, "end.png"));
            String shown = onB.next(message -> message.contains("a.png") || message.contains("end.png"), TIMEOUT);
            assertTrue(shown.contains("end.png") && !shown.contains("a.png"), "B's viewer never got a tile of A's half-written delta");
            awaitSameMap("only C's tiles on B and C", 12, b, c);
        }
    }

    @Test
    void aBrokerKilledMidEditAndRestartedLosesNothingStallsNoLocalViewerAndDeclaresNobodyGone() throws Exception {
        RuntimeProcess a = quickToDetect(runtime("outage", "a")).start();
        RuntimeProcess b = quickToDetect(runtime("outage", "b")).start();
        a.deploy("a.manifest.json", TestManifests.row(0, 100, 0, "a.png"));
        awaitSameMap("A's tiles on B", 100, a, b);

        broker.kill();
        try {
            // Edits while the broker is gone, longer than the detection time: A's own map has them at once.
            a.deploy("a.manifest.json", TestManifests.row(0, 150, 0, "b.png"));
            awaitSameMap("A's edit on A's own map without a broker", 150, a);
            b.deploy("b.manifest.json", TestManifests.row(0, 20, 1, "b.png"));
            awaitSameMap("B's manifest on B's own map beside A's tiles, without a broker", 120, b);
            try {
                RuntimeProcess.awaitCondition("A saying the broker is away", TIMEOUT,
                        () -> a.body("/infinitemap/api/status").contains("\"state\":\"unreachable\""));
            } catch (AssertionError e) { // what A said and where its threads were (this found the sender waiting on metadata per record)
                throw new AssertionError(e.getMessage() + "; A's status: " + a.body("/infinitemap/api/status") + "\nA's threads:\n" + a.threadDump()
                        + "\nA's log:\n" + a.log(), e);
            }
            a.deploy("a.manifest.json", TestManifests.row(0, 120, 0, "c.png"));
            awaitSameMap("A's second edit on A", 120, a);
        } finally {
            broker.start();
        }
        awaitSameMap("A's latest edit and B's manifest on both once the broker is back", 140, a, b);
        assertEquals("\"brick\":\"c.png\",\"timestamp\":1", cells(b).get("119,0"));
        RuntimeProcess.awaitCondition("A caught up again", TIMEOUT, () -> a.body("/infinitemap/api/status").contains("\"state\":\"caught-up\""));
        assertTrue(!a.log().contains("declared gone") && !b.log().contains("declared gone"), "nobody is declared gone for the broker's absence");
    }

    @Test
    void aBrokerFrozenAsInAPartitionThenResumedConverges() throws Exception {
        RuntimeProcess a = quickToDetect(runtime("frozen", "a")).start();
        RuntimeProcess b = quickToDetect(runtime("frozen", "b")).start();
        a.deploy("a.manifest.json", TestManifests.row(0, 50, 0, "a.png"));
        awaitSameMap("A's tiles on B", 50, a, b);

        broker.signal("STOP");
        try {
            a.deploy("a.manifest.json", TestManifests.row(0, 80, 0, "b.png"));
            awaitSameMap("A's edit on A's own map with the broker frozen", 80, a);
            RuntimeProcess.awaitCondition("A saying the broker is away", TIMEOUT,
                    () -> a.body("/infinitemap/api/status").contains("\"state\":\"unreachable\""));
        } finally {
            broker.signal("CONT");
        }
        awaitSameMap("A's edit on B once the broker runs again", 80, a, b);
        assertEquals("\"brick\":\"b.png\",\"timestamp\":1", cells(b).get("79,0"));
    }

    @Test
    void aSecondRuntimeWithTheSameIdFencesTheFirstWhichSaysSoAndKeepsItsOwnMap() throws Exception {
        RuntimeProcess first = runtime("twin", "a").start();
        // Caught up means the topic exists: a consumer asking for a topic not there yet waits a minute.
        RuntimeProcess.awaitCondition("the first runtime caught up", TIMEOUT,
                () -> first.body("/infinitemap/api/status").contains("\"state\":\"caught-up\""));
        first.deploy("a.manifest.json", TestManifests.row(0, 10, 0, "a.png"));
        RuntimeProcess.awaitCondition("the first runtime's tiles written", TIMEOUT, () -> writers("twin").containsKey("a"));

        RuntimeProcess second = clustered(dir.resolve("twin-a-again"), broker, "twin", "a");
        runtimes.add(second);
        second.start();
        RuntimeProcess.awaitCondition("the first runtime saying it was fenced", TIMEOUT,
                () -> first.log().contains("another runtime with id a writes to im.twin: this one stopped sending"));
        String status = first.body("/infinitemap/api/status");
        assertTrue(status.contains("\"state\":\"failed\"") && status.contains("another runtime with id a"), status);
        assertEquals(10, cells(first).size(), "its local map keeps working");
    }

    @Test
    void aTickingCompositorOnOneRuntimeReachesTheOthersViewersOnceEachInOrder() throws Exception {
        RuntimeProcess a = runtime("clock", "a");
        Path dist = Path.of(System.getProperty("infinitemap.dist", "target/infinitemap"));
        try (Stream<Path> samples = Files.list(dist.resolve("deploy"))) {
            Path clock = samples.filter(jar -> jar.getFileName().toString().startsWith("dev.infinitemap.compositor.clock-")).findFirst().orElseThrow();
            Files.copy(clock, a.home.resolve("deploy").resolve(clock.getFileName()));
        }
        a.start();
        RuntimeProcess b = runtime("clock", "b").start();
        // Live from here: while B catches up, A's seconds fold into B's first delta.
        RuntimeProcess.awaitCondition("B caught up", TIMEOUT, () -> b.body("/infinitemap/api/status").contains("\"state\":\"caught-up\""));
        try (WsClient onA = new WsClient(a.port, "?mode=batch"); WsClient onB = new WsClient(b.port, "?mode=batch")) {
            List<String> fromA = new ArrayList<>();
            while (fromA.size() < 5) {
                fromA.add(change(onA.next(message -> message.startsWith("{\"type\":\"manifest_update\""), TIMEOUT)));
            }
            fromA.remove(0); // it may have reached B before B's client connected
            // B's viewer gets each of A's seconds as one delta with the same cells, none twice, none out of order.
            List<String> fromB = new ArrayList<>();
            while (!fromB.contains(fromA.get(3))) {
                fromB.add(change(onB.next(message -> message.startsWith("{\"type\":\"manifest_update\""), TIMEOUT)));
            }
            int first = fromB.indexOf(fromA.get(0));
            assertTrue(first >= 0, "A's first second reached B: " + fromB);
            assertEquals(fromA, fromB.subList(first, fromB.size()));
        }
    }

    @Test
    void aTopicMadeByHandThatDeletesOldRecordsIsRefusedByNameAndTheLocalMapKeepsWorking() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic("im.byhand", 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)))).all().get();
        }
        RuntimeProcess a = runtime("byhand", "a").start();
        RuntimeProcess.awaitCondition("A's status naming the topic's setting", TIMEOUT, () -> {
            String status = a.body("/infinitemap/api/status");
            return status.contains("\"state\":\"failed\"") && status.contains("topic im.byhand has cleanup.policy=delete; the map needs compact");
        });
        assertTrue(a.log().contains("The cluster bridge stopped: topic im.byhand has cleanup.policy=delete"), a.log());
        a.deploy("a.manifest.json", TestManifests.row(0, 10, 0, "a.png"));
        awaitSameMap("A's own tiles on its map", 10, a);
    }

    // ---- helpers

    /**
     * A batch message's change, its tiles by cell and its removed cells, in cell order and without
     * the revision: each runtime numbers its own revisions and may list a delta's cells in another order.
     */
    private static String change(String message) {
        int removed = message.indexOf(",\"removed\":");
        SortedMap<String, String> tiles = new TreeMap<>();
        Matcher cell = CELL.matcher(message.substring(0, removed < 0 ? message.length() : removed));
        while (cell.find()) {
            tiles.put(cell.group(1), cell.group(2));
        }
        SortedSet<String> gone = new TreeSet<>();
        Matcher name = CELL_NAME.matcher(removed < 0 ? "" : message.substring(removed));
        while (name.find()) {
            gone.add(name.group(1));
        }
        return tiles + " removed " + gone;
    }

    private RuntimeProcess runtime(String map, String id) throws IOException {
        RuntimeProcess runtime = clustered(dir.resolve(map + "-" + id), broker, map, id);
        runtimes.add(runtime);
        return runtime;
    }

    /** A runtime on a cluster map, without the samples: a ticking clock among them would keep the maps moving. */
    static RuntimeProcess clustered(Path home, KafkaBroker broker, String map, String id) throws IOException {
        RuntimeProcess runtime = new RuntimeProcess(home)
                .env("INFINITEMAP_CLUSTER_BOOTSTRAP", broker.bootstrap())
                .env("INFINITEMAP_CLUSTER_MAP", map)
                .env("INFINITEMAP_CLUSTER_RUNTIME_ID", id);
        try (Stream<Path> samples = Files.list(runtime.home.resolve("deploy"))) {
            for (Path sample : (Iterable<Path>) samples::iterator) {
                if (!sample.getFileName().toString().equals("README.txt")) {
                    Files.delete(sample);
                }
            }
        }
        return runtime;
    }

    /** A and B, quick to detect, with 100 tiles each (rows 0 and 1) on both maps. */
    private RuntimeProcess[] pairWithTiles(String map) throws Exception {
        RuntimeProcess a = quickToDetect(runtime(map, "a")).start();
        RuntimeProcess b = quickToDetect(runtime(map, "b")).start();
        a.deploy("a.manifest.json", TestManifests.row(0, 100, 0, "a.png"));
        b.deploy("b.manifest.json", TestManifests.row(0, 100, 1, "b.png"));
        awaitSameMap("A's and B's tiles on both", 200, a, b);
        return new RuntimeProcess[] { a, b };
    }

    // Detection in 4 s, not 5: short for the suite, long enough that a runtime starved of CPU by a
    // build beside it is not taken for dead.
    private static RuntimeProcess quickToDetect(RuntimeProcess runtime) {
        return runtime.env("INFINITEMAP_CLUSTER_HEARTBEAT_MILLIS", "500").env("INFINITEMAP_CLUSTER_DETECTION_MILLIS", "4000");
    }

    /** Waits until every runtime's map holds the same {@code count} cells, each with the same tile. */
    private static void awaitSameMap(String what, int count, RuntimeProcess... runtimes) throws InterruptedException {
        try {
            RuntimeProcess.awaitCondition(what, TIMEOUT, () -> {
                SortedMap<String, String> first = cells(runtimes[0]);
                if (first.size() != count) {
                    return false;
                }
                for (int i = 1; i < runtimes.length; i++) {
                    if (!cells(runtimes[i]).equals(first)) {
                        return false;
                    }
                }
                return true;
            });
        } catch (AssertionError e) {
            StringBuilder state = new StringBuilder(e.getMessage());
            for (RuntimeProcess runtime : runtimes) {
                state.append("\n  runtime on port ").append(runtime.port).append(": ").append(cells(runtime).size()).append(" cells; log:\n")
                        .append(runtime.log());
            }
            throw new AssertionError(state.toString(), e);
        }
    }

    /** The end offset of a map's topic, asked of the broker each time. */
    private static final class TopicEnd implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final TopicPartition partition;

        TopicEnd(String map) {
            Properties settings = new Properties();
            settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            partition = new TopicPartition("im." + map, 0);
        }

        long offset() {
            return consumer.endOffsets(List.of(partition)).get(partition);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /** @return per runtime, how many cell records of it the map's topic holds, read from its beginning */
    static Map<String, Integer> cellRecords(String map) {
        Map<String, Integer> counts = new TreeMap<>();
        readCells(map, (runtime, compositor) -> counts.merge(runtime, 1, Integer::sum));
        return counts;
    }

    /** @return per runtime, the compositors whose cells it wrote to the map's topic, read from its beginning */
    static Map<String, Set<String>> writers(String map) {
        Map<String, Set<String>> writers = new TreeMap<>();
        readCells(map, (runtime, compositor) -> writers.computeIfAbsent(runtime, r -> new TreeSet<>()).add(compositor));
        return writers;
    }

    /** Reads a map's topic from its beginning to its end, giving each cell record's runtime and compositor. */
    private static void readCells(String map, java.util.function.BiConsumer<String, String> cell) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"); // a missing topic fails, not waits a minute
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition("im." + map, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    ByteBuffer key = ByteBuffer.wrap(record.key());
                    if (key.get() == 2 && key.get() == 'C') { // format 2, a cell: runtime, compositor, cell
                        String runtime = utf8(key);
                        cell.accept(runtime, utf8(key));
                    }
                }
            }
        }
    }

    private static String utf8(ByteBuffer in) {
        byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The runtime's map as the old clients read it: cell to tile. */
    static SortedMap<String, String> cells(RuntimeProcess runtime) {
        SortedMap<String, String> cells = new TreeMap<>();
        Matcher cell = CELL.matcher(runtime.body("/infinitemap/manifest.json"));
        while (cell.find()) {
            cells.put(cell.group(1), cell.group(2));
        }
        return cells;
    }
}
