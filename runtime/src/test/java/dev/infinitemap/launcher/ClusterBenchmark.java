package dev.infinitemap.launcher;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The cluster's end-to-end paths, with a real Kafka broker and runtimes as processes on this
 * machine, printed as Markdown rows for BENCHMARKS.md:
 * <ul>
 * <li>the floor: Kafka's own round trip on the same broker, one record from an idempotent
 * producer to a consumer, {@value #EDITS} times, 20 a second, as the runtimes write; beside it
 * the same in a transaction to a {@code read_committed} consumer, as they wrote before;</li>
 * <li>latency: manifest edits on A, each adding one cell, at 10 and at 100 edits a second
 * (spread over 10 files); the time from the file's rename into A's {@code deploy/} to the first
 * sight of its cell at a WebSocket client of A and of B, side by side for the same edits;</li>
 * <li>throughput: a 1,000,000-tile manifest dropped into A, until B's map has every tile;</li>
 * <li>catch-up: runtime C started against that map, until its log says it caught up and its
 * map has every tile;</li>
 * <li>failure detection: {@code kill -9} of a runtime with 100 tiles, until they are gone from
 * B (detection time 5 s, the default);</li>
 * <li>footprint: resident memory and idle CPU of a runtime alone and of one on the cluster.</li>
 * </ul>
 * The broker's JVM compiles as a production one does (the tests' broker compiles with C1 only,
 * to start sooner). Run with {@code mvn -B -q install -DskipTests && mvn -B -q -pl runtime exec:java -Dbenchmark=ClusterBenchmark};
 * {@code -Dexec.args=throughput} runs only the throughput and catch-up rows (for profiling them),
 * {@code -Dexec.args=latency} only the floor and latency rows.
 */
public final class ClusterBenchmark {

    static final int EDITS = 300;
    static final int FILES = 10;
    static final int WARM_UP = 2_000;
    static final int BIG = 1_000_000;
    static final int KILLS = 3;
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final Pattern CELL = Pattern.compile("\"x\":(\\d+),\"y\":(\\d+)");
    static final Pattern TILES = Pattern.compile("\"tiles\":(\\d+)");
    static final Pattern CAUGHT_UP = Pattern.compile("Caught up with map \"bench\"[^\\n]*records read, (\\d+) remote layers, in (\\d+) ms");

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("infinitemap-cluster-bench");
        try (KafkaBroker broker = new KafkaBroker(work.resolve("broker"), false).start();
                RuntimeProcess a = ClusterIT.clustered(work.resolve("a"), broker, "bench", "a").start();
                RuntimeProcess b = ClusterIT.clustered(work.resolve("b"), broker, "bench", "b").start()) {
            System.out.println("| measurement | n | median | p90 | p99 | max |");
            System.out.println("|---|---|---|---|---|---|");
            if (List.of(args).contains("throughput")) {
                throughputAndCatchUp(work, broker, a, b);
                return;
            }
            kafkaFloor(broker, false);
            kafkaFloor(broker, true);
            latency(a, b, 100, 8_999, false); // warms up the broker's, the runtimes' and this JVM's compilers, as in a runtime that has run a while
            latency(a, b, 10, 9_000, true);
            latency(a, b, 100, 9_001, true);
            if (List.of(args).contains("latency")) {
                return;
            }
            detection(work, broker, b);
            throughputAndCatchUp(work, broker, a, b);
        }
        footprint(work);
    }

    /** One record until a consumer has it, plain or in a transaction to a read_committed consumer: what any delta through Kafka costs at least. */
    private static void kafkaFloor(KafkaBroker broker, boolean transactional) throws Exception {
        String topic = transactional ? "floor-transactional" : "floor";
        Properties producerSettings = new Properties();
        producerSettings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        producerSettings.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        Properties consumerSettings = new Properties();
        consumerSettings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        if (transactional) {
            producerSettings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "floor");
            consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer());
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            if (transactional) {
                producer.initTransactions();
            }
            for (int i = 0; i < WARM_UP; i++) {
                write(producer, topic, transactional); // makes the topic, and warms up the broker's compiler as one that has run a while
            }
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            List<Double> trips = new ArrayList<>();
            List<Double> acknowledged = new ArrayList<>();
            for (int i = 0; i < EDITS; i++) {
                long sent = System.nanoTime();
                write(producer, topic, transactional);
                acknowledged.add((System.nanoTime() - sent) / 1e6);
                while (consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                    if (System.nanoTime() - sent > TIMEOUT.toNanos()) {
                        throw new IllegalStateException("the consumer never got record " + i);
                    }
                }
                trips.add((System.nanoTime() - sent) / 1e6);
                Thread.sleep(50); // the pace, not a wait for a result
            }
            ViewerBenchmark.row(transactional ? "Kafka alone: of which the commit returned" : "Kafka alone: of which the write acknowledged", acknowledged);
            ViewerBenchmark.row(transactional ? "Kafka alone: a record in a transaction, committed, to a read_committed consumer"
                    : "Kafka alone: a record, acknowledged, to a consumer (what the runtimes do)", trips);
        }
    }

    private static void write(KafkaProducer<byte[], byte[]> producer, String topic, boolean transactional) throws Exception {
        if (transactional) {
            producer.beginTransaction();
        }
        producer.send(new ProducerRecord<>(topic, 0, null, new byte[Long.BYTES])).get();
        if (transactional) {
            producer.commitTransaction();
        }
    }

    /** Edits on A at a rate, seen by a per-cell WebSocket client of A and of B. */
    private static void latency(RuntimeProcess a, RuntimeProcess b, int perSecond, int y, boolean print) throws Exception {
        Map<Integer, Long> onA = new ConcurrentHashMap<>();
        Map<Integer, Long> onB = new ConcurrentHashMap<>();
        HttpClient http = HttpClient.newHttpClient();
        WebSocket socketA = ViewerBenchmark.connect(http, a, "", watcher(y, onA));
        WebSocket socketB = ViewerBenchmark.connect(http, b, "", watcher(y, onB));
        long[] edited = new long[EDITS];
        StringBuilder[] files = new StringBuilder[FILES];
        long pace = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        for (int k = 0; k < EDITS; k++) {
            int f = k % FILES;
            files[f] = files[f] == null ? new StringBuilder() : files[f].append(',');
            files[f].append('"').append(k).append(',').append(y).append("\":{\"brick\":\"e.png\",\"timestamp\":1}");
            while (System.nanoTime() < next) {
                Thread.onSpinWait(); // the load's pace, not a wait for a result
            }
            edited[k] = System.nanoTime();
            a.deploy("bench-" + y + "-" + f + ".manifest.json", ("{" + files[f] + "}").getBytes(StandardCharsets.UTF_8));
            next += pace;
        }
        RuntimeProcess.awaitCondition("every edit on A's client", TIMEOUT, () -> onA.size() == EDITS);
        RuntimeProcess.awaitCondition("every edit on B's client", TIMEOUT, () -> onB.size() == EDITS);
        socketA.abort();
        socketB.abort();
        List<Double> local = new ArrayList<>();
        List<Double> remote = new ArrayList<>();
        List<Double> added = new ArrayList<>();
        for (int k = 0; k < EDITS; k++) {
            local.add((onA.get(k) - edited[k]) / 1e6);
            remote.add((onB.get(k) - edited[k]) / 1e6);
            added.add((onB.get(k) - onA.get(k)) / 1e6);
        }
        if (print) {
            ViewerBenchmark.row("edit on A to a client of A, " + perSecond + " edits/s", local);
            ViewerBenchmark.row("edit on A to a client of B, " + perSecond + " edits/s", remote);
            ViewerBenchmark.row("B's client after A's, same edit (what the cluster adds), " + perSecond + " edits/s", added);
        }
        for (int f = 0; f < FILES; f++) {
            Files.delete(a.home.resolve("deploy/bench-" + y + "-" + f + ".manifest.json"));
        }
        RuntimeProcess.awaitCondition("the edits gone from B", TIMEOUT, () -> tiles(b) == 0);
    }

    private static ViewerBenchmark.Listener watcher(int y, Map<Integer, Long> seen) {
        String row = ",\"y\":" + y + ",";
        return new ViewerBenchmark.Listener(text -> {
            long now = System.nanoTime();
            if (text.startsWith("{\"type\":\"tile_update\"") && text.contains(row)) {
                Matcher m = CELL.matcher(text);
                if (m.find()) {
                    seen.putIfAbsent(Integer.parseInt(m.group(1)), now);
                }
            }
        });
    }

    /** A runtime with 100 tiles killed; the time until B has none of them. */
    private static void detection(Path work, KafkaBroker broker, RuntimeProcess b) throws Exception {
        List<Double> gone = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            try (RuntimeProcess d = ClusterIT.clustered(work.resolve("d" + i), broker, "bench", "d" + i).start()) {
                d.deploy("d.manifest.json", TestManifests.row(0, 100, 7_000 + i, "d.png"));
                RuntimeProcess.awaitCondition("D's tiles on B", TIMEOUT, () -> tiles(b) == 100);
                long killed = System.nanoTime();
                d.kill();
                RuntimeProcess.awaitCondition("D's tiles gone from B", TIMEOUT, () -> tiles(b) == 0);
                gone.add((System.nanoTime() - killed) / 1e6);
            }
        }
        ViewerBenchmark.row("kill -9 of a runtime to its tiles gone on B (detection time 5000 ms)", gone);
    }

    /** A million tiles through the broker to B, then a newcomer C catching up with them. */
    private static void throughputAndCatchUp(Path work, KafkaBroker broker, RuntimeProcess a, RuntimeProcess b) throws Exception {
        Path staged = work.resolve("big.json");
        Files.write(staged, TestManifests.row(0, BIG, 100, "big.png"));
        long dropped = System.nanoTime();
        Files.move(staged, a.home.resolve("deploy/big.manifest.json"));
        RuntimeProcess.awaitCondition("the million tiles on A", TIMEOUT, () -> tiles(a) == BIG);
        long onA = System.nanoTime();
        RuntimeProcess.awaitCondition("the million tiles on B", TIMEOUT, () -> tiles(b) == BIG);
        long onB = System.nanoTime();
        System.out.printf(Locale.ROOT, "| 1,000,000-tile manifest dropped into A: on A's map | 1 | %.0f ms | | | |%n", (onA - dropped) / 1e6);
        System.out.printf(Locale.ROOT, "| the same: on B's map | 1 | %.0f ms | | | | %,.0f tiles/s from A's map to B's%n", (onB - dropped) / 1e6,
                BIG / ((onB - onA) / 1e9));

        try (RuntimeProcess c = ClusterIT.clustered(work.resolve("c"), broker, "bench", "c")) {
            long started = System.nanoTime();
            c.start();
            long ready = System.nanoTime();
            RuntimeProcess.awaitCondition("C caught up", TIMEOUT, () -> CAUGHT_UP.matcher(c.log()).find());
            long caughtUp = System.nanoTime();
            RuntimeProcess.awaitCondition("the million tiles on C", TIMEOUT, () -> tiles(c) == BIG);
            long full = System.nanoTime();
            Matcher logged = CAUGHT_UP.matcher(c.log());
            logged.find();
            System.out.printf(Locale.ROOT, "| newcomer C: start to ready line | 1 | %.0f ms | | | |%n", (ready - started) / 1e6);
            System.out.printf(Locale.ROOT, "| newcomer C: reading the shared map (its log's figure) | 1 | %s ms | | | | seen at %.0f ms after start%n",
                    logged.group(2), (caughtUp - started) / 1e6);
            System.out.printf(Locale.ROOT, "| newcomer C: start to all 1,000,000 tiles on its map | 1 | %.0f ms | | | |%n", (full - started) / 1e6);
        }
    }

    /** Resident memory and idle CPU, 10 s after ready, of a runtime alone and of one on a cluster map, side by side. */
    private static void footprint(Path work) throws Exception {
        try (KafkaBroker broker = new KafkaBroker(work.resolve("broker-idle")).start();
                RuntimeProcess alone = new RuntimeProcess(work.resolve("alone")).start();
                RuntimeProcess shared = ClusterIT.clustered(work.resolve("shared"), broker, "idle", "shared").start()) {
            // The same deploy/ for both: no samples.
            try (var files = Files.list(alone.home.resolve("deploy"))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (!file.getFileName().toString().equals("README.txt")) {
                        Files.delete(file);
                    }
                }
            }
            RuntimeProcess.awaitCondition("the samples gone from the lone runtime", TIMEOUT, () -> tiles(alone) == 0);
            List<Double> cpuAlone = RuntimeBenchmark.idleCpuPercent(alone, 3);
            List<Double> cpuShared = RuntimeBenchmark.idleCpuPercent(shared, 3);
            System.out.printf(Locale.ROOT, "| runtime alone: resident memory, idle CPU (3 windows of 10 s) | 1 | %,d kB | | | | CPU %s %%%n",
                    LoadSoak.rssKb(alone.pid()), percents(cpuAlone));
            System.out.printf(Locale.ROOT, "| runtime on a cluster map: resident memory, idle CPU | 1 | %,d kB | | | | CPU %s %%%n",
                    LoadSoak.rssKb(shared.pid()), percents(cpuShared));
        }
    }

    private static String percents(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }

    private static int tiles(RuntimeProcess runtime) {
        Matcher m = TILES.matcher(runtime.body("/infinitemap/api/status"));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
