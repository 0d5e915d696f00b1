package dev.infinitemap.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.osgi.service.log.Logger;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;
import dev.infinitemap.api.cluster.Cluster;
import dev.infinitemap.api.cluster.Cluster.State;

/**
 * This runtime's side of the shared map on Kafka: one compacted topic, {@code im.<map>}, holds
 * every runtime's layer cells and presence, in one partition, so that every runtime reads the
 * same records in the same order.
 * <ul>
 * <li>The sender thread writes what waits in its {@link Outbox}, each compositor's changes as one
 * delta (all that waited in one go, and the next go when the broker acknowledged it: one write
 * per local delta would cap the rate), and a heartbeat every interval. Declared gone while
 * alive, it rejoins as a new incarnation with all its tiles; another runtime started with its
 * id makes it stop (see {@link #superseded}).</li>
 * <li>The follower thread reads the topic from its beginning and feeds {@link RemoteLayers}: remote deltas go to the map, this runtime's own records from
 * an earlier incarnation are kept to remove what no local compositor has any more.</li>
 * </ul>
 * A broker that cannot be reached stops neither: local changes wait in the {@link Outbox}, folded
 * per cell, and remote layers stay as they are until it is back.
 */
final class KafkaCluster {

    /** Own cells from an earlier incarnation, per compositor, with their layer: to be removed unless a local compositor has them. */
    private record Leftovers(Map<String, Set<Long>> cells, Map<String, Integer> layers) {
    }

    /** The outbox item that makes the sender start a new incarnation, see {@link #rejoin}. */
    private static final Object REJOIN = new Object();
    /** The outbox item that makes the sender say goodbye for the incarnation it writes. */
    private static final Object GOODBYE = new Object();

    private static final Duration POLL = Duration.ofMillis(100);
    private static final long RETRY_MILLIS = 1000;
    private static final int CHUNK = 20_000; // records between two heartbeats at most, see Batch
    private static final long STATUS_MILLIS = 250; // how often the follower refreshes what the status shows

    private final ClusterSettings settings;
    private final byte[] self; // this runtime's id as keys hold it
    private final Logger log;
    private final Consumer<TileDelta> map;
    private volatile long epoch = System.currentTimeMillis() * 1000; // this incarnation; written by the sender only
    // From the bridge and the follower to the sender, which folds it into the outbox at once:
    // TileDelta, RuntimeRecord (a decision), Leftovers, REJOIN or GOODBYE.
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Outbox outbox = new Outbox(); // the sender's
    private final RecordFormat.Writer values = new RecordFormat.Writer(); // the sender's
    private final RecordFormat.Reader records = new RecordFormat.Reader(); // the follower's
    private final Map<String, Long> sequences = new HashMap<>(); // per local compositor, in this incarnation
    private long nextHeartbeat; // the sender's
    private final Thread sender;
    private final Thread follower;
    private final CountDownLatch topicReady = new CountDownLatch(1);
    private volatile boolean stopping;
    // Set by the follower when another runtime with this one's id wrote a newer incarnation: the
    // others read only the newest, so this one stops sending (two would undo each other).
    private volatile String superseded;
    private volatile State state = State.CONNECTING;
    private volatile String problem;
    private long rejoinAsked; // the incarnation a rejoin was asked for, by the follower, so that it is asked once
    private volatile long lag;
    private volatile List<Cluster.Peer> peers = List.of();
    private volatile List<Cluster.RemoteCompositor> remoteCompositors = List.of();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile RemoteLayers remote;

    KafkaCluster(ClusterSettings settings, Logger log, Consumer<TileDelta> map) {
        this.settings = settings;
        this.self = settings.runtime().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.log = log;
        this.map = map;
        this.sender = new Thread(this::send, "infinitemap-cluster-sender");
        this.follower = new Thread(this::follow, "infinitemap-cluster-follower");
        sender.setDaemon(true);
        follower.setDaemon(true);
    }

    void start() {
        sender.start();
        follower.start();
    }

    /** A local delta, for every other runtime. */
    void local(TileDelta delta) {
        queue.add(delta);
    }

    /** @return where this runtime stands, from the follower's latest refresh */
    Cluster.Status status() {
        return new Cluster.Status(settings.runtime(), settings.map(), settings.bootstrap(), state, java.util.Optional.ofNullable(problem), lag,
                peers, remoteCompositors);
    }

    /** Says goodbye in the log (this runtime's tiles go or stay, as its policy says), then stops both threads. */
    void stop() throws InterruptedException {
        queue.add(GOODBYE);
        stopping = true;
        sender.join(5000);
        KafkaConsumer<byte[], byte[]> reader = consumer;
        if (reader != null) {
            reader.wakeup(); // not an interrupt: that would break the consumer's own close
        }
        follower.join(5000);
    }

    // ---- sending

    private void send() {
        Thread.currentThread().setContextClassLoader(getClass().getClassLoader()); // Kafka loads its default classes by name
        KafkaProducer<byte[], byte[]> producer = null;
        while (superseded == null) {
            try {
                if (producer == null) {
                    ensureTopic();
                    producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
                    nextHeartbeat = 0;
                }
                absorb(outbox.isEmpty() && !stopping ? Math.max(0, nextHeartbeat - System.currentTimeMillis()) : 0);
                if (superseded != null) {
                    break;
                }
                if (outbox.isEmpty() && System.currentTimeMillis() < nextHeartbeat) {
                    continue;
                }
                Batch batch = new Batch(producer);
                boolean goodbye = write(batch);
                batch.acknowledged();
                outbox.sent();
                recovered();
                if (goodbye) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            } catch (KafkaException | IllegalStateException e) {
                close(producer);
                producer = null;
                if (!retry(e)) {
                    break;
                }
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
                break;
            } catch (RuntimeException e) { // a bug here must not leave the status saying all is well
                fail("the sender met " + e);
                break;
            }
        }
        close(producer);
    }

    /**
     * After a failed write, with the producer closed: what waited is written again with what came
     * meanwhile, under the next sequence (a cell written twice holds the same state, and a delta
     * of which only some records got through is completed by the next). Folds in local changes for
     * a while first.
     *
     * @return whether to go on
     */
    private boolean retry(Exception e) {
        unreachable(e);
        if (stopping) {
            return false; // no goodbye without a broker: the others declare this runtime gone after the detection time
        }
        try {
            long until = System.currentTimeMillis() + RETRY_MILLIS;
            for (long left = RETRY_MILLIS; left > 0; left = until - System.currentTimeMillis()) {
                absorb(left); // local changes keep folding in while the broker is away
            }
            return true;
        } catch (InterruptedException interrupted) {
            return false;
        }
    }

    /** Folds into the outbox what the bridge queued, waiting up to {@code waitMillis} for the first item. */
    private void absorb(long waitMillis) throws InterruptedException {
        Object first = waitMillis > 0 ? queue.poll(waitMillis, TimeUnit.MILLISECONDS) : queue.poll();
        if (first == null) {
            return;
        }
        List<Object> items = new ArrayList<>();
        items.add(first);
        queue.drainTo(items);
        for (Object item : items) {
            if (item instanceof TileDelta delta) {
                outbox.add(delta);
            } else {
                outbox.addControl(item);
            }
        }
    }

    /**
     * One go of writes, acknowledged as a whole, with a heartbeat whenever one is due (at most
     * every {@value #CHUNK} records, so that a million cells do not silence this runtime).
     * <p>
     * Plain idempotent writes, not transactions: readers gather a delta's records by its parts
     * count, so a delta reaches their maps whole all the same. With a transaction each go would
     * wait for its commit and readers for its marker (at 100 edits/s the p99 from one runtime's
     * viewer to another's was 49-57 ms with them, 20-25 ms without; see BENCHMARKS.md), and one
     * left open by a runtime killed mid-write holds back every reader of committed records for
     * the transaction timeout, a minute by default, the other runtimes' changes too.
     */
    private final class Batch {
        private final KafkaProducer<byte[], byte[]> producer;
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final Callback failed = (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };
        private int records;

        Batch(KafkaProducer<byte[], byte[]> producer) {
            this.producer = producer;
            heartbeatIfDue();
        }

        void send(ProducerRecord<byte[], byte[]> record) {
            // One failure ends the go: without a broker, each further send would wait the whole
            // max.block.ms for metadata before failing too (150 records: 25 minutes).
            throwFailure();
            producer.send(record, failed);
            if (++records >= CHUNK) {
                records = 0;
                heartbeatIfDue();
            }
        }

        /** Waits until the broker has every record of this go, or throws what went wrong with the first that failed. */
        void acknowledged() {
            producer.flush();
            throwFailure();
        }

        private void throwFailure() {
            Exception e = failure.get();
            if (e != null) {
                throw e instanceof KafkaException k ? k : new KafkaException(e.getMessage(), e);
            }
        }

        private void heartbeatIfDue() {
            if (System.currentTimeMillis() >= nextHeartbeat) {
                send(runtimeRecord(new RuntimeRecord(settings.runtime(), epoch, RuntimeRecord.State.ONLINE, settings.onDeath())));
                nextHeartbeat = System.currentTimeMillis() + settings.heartbeatMillis();
            }
        }
    }

    /** Writes what waits: each compositor's changes as one delta, then the other records. @return whether it said goodbye */
    private boolean write(Batch batch) {
        boolean goodbye = false;
        if (outbox.control().contains(REJOIN)) {
            rejoin(batch); // all that local compositors hold, waiting changes included
        } else {
            outbox.pending().forEach((compositor, changes) -> {
                long sequence = sequences.merge(compositor, 1L, Long::sum);
                CellRecords records = new CellRecords(compositor, changes.layer(), sequence, changes.cells().size());
                changes.cells().forEach((cell, tile) -> batch.send(records.of(cell, tile)));
            });
        }
        for (Object item : outbox.control()) {
            if (item instanceof Leftovers leftovers) {
                removeLeftovers(batch, leftovers);
            } else if (item == GOODBYE) {
                batch.send(runtimeRecord(new RuntimeRecord(settings.runtime(), epoch, RuntimeRecord.State.GONE, settings.onDeath())));
                goodbye = true;
            } else if (item instanceof RuntimeRecord decision) {
                batch.send(runtimeRecord(decision)); // another runtime declared gone
            }
        }
        return goodbye;
    }

    private void removeLeftovers(Batch batch, Leftovers leftovers) {
        leftovers.cells().forEach((compositor, cells) -> {
            Map<Long, Tile> now = outbox.held(compositor);
            List<Long> gone = cells.stream().filter(cell -> !now.containsKey(cell)).toList();
            if (!gone.isEmpty()) {
                CellRecords records = new CellRecords(compositor, leftovers.layers().get(compositor), sequences.merge(compositor, 1L, Long::sum),
                        gone.size());
                for (long cell : gone) {
                    batch.send(records.of(cell, null));
                }
                log.info("Removed from the shared map {} tiles of compositor {} that an earlier run of this runtime had and this one has not.",
                        gone.size(), compositor);
            }
        });
    }

    // Declared gone while it was still there (paused, or cut off from the broker longer than the
    // detection time): the others dropped this incarnation, so a new one writes everything again.
    private void rejoin(Batch batch) {
        epoch = Math.max(epoch + 1, System.currentTimeMillis() * 1000);
        sequences.clear();
        batch.send(runtimeRecord(new RuntimeRecord(settings.runtime(), epoch, RuntimeRecord.State.ONLINE, settings.onDeath())));
        int tiles = 0;
        for (Map.Entry<String, Map<Long, Tile>> compositor : outbox.held().entrySet()) {
            Map<Long, Tile> cells = compositor.getValue();
            CellRecords records = new CellRecords(compositor.getKey(), outbox.layer(compositor.getKey()),
                    sequences.merge(compositor.getKey(), 1L, Long::sum), cells.size());
            for (Tile tile : cells.values()) {
                batch.send(records.of(tile.cell(), tile));
            }
            tiles += cells.size();
        }
        log.warn("The other runtimes declared runtime {} gone while it was paused or cut off; it rejoins map \"{}\" with its {} tiles.",
                settings.runtime(), settings.map(), tiles);
    }

    /** The records of one delta of a compositor: the key's start and the header are the same for each, made once. */
    private final class CellRecords {
        private final byte[] keyPrefix;
        private final List<Header> meta;

        CellRecords(String compositor, int layer, long sequence, int parts) {
            keyPrefix = RecordFormat.cellKeyPrefix(settings.runtime(), compositor);
            meta = List.of(new RecordHeader(RecordFormat.META, RecordFormat.meta(epoch, sequence, layer, parts)));
        }

        ProducerRecord<byte[], byte[]> of(long cell, Tile tile) {
            return new ProducerRecord<>(settings.topic(), 0, null, RecordFormat.cellKey(keyPrefix, cell), values.tileValue(tile), meta);
        }
    }

    private ProducerRecord<byte[], byte[]> runtimeRecord(RuntimeRecord record) {
        return new ProducerRecord<>(settings.topic(), 0, RecordFormat.runtimeKey(record.runtime()), RecordFormat.runtimeValue(record));
    }

    // The topic is made on first use; one made by hand must keep the latest record per key and
    // stamp records with the broker's clock, or catch-up and presence would be wrong.
    private void ensureTopic() throws InterruptedException {
        Admin admin = Admin.create(clientProperties("admin"));
        try {
            Map<String, String> configs = Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
                    TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1",
                    TopicConfig.SEGMENT_MS_CONFIG, "600000");
            try {
                admin.createTopics(List.of(new NewTopic(settings.topic(), java.util.Optional.of(1), java.util.Optional.empty()).configs(configs)))
                        .all().get(10, TimeUnit.SECONDS);
                log.info("Created topic {} for map \"{}\" on {}.", settings.topic(), settings.map(), settings.bootstrap());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new KafkaException("cannot create topic " + settings.topic() + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, settings.topic());
            Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
            checkTopic(config, TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            checkTopic(config, TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
            int partitions = admin.describeTopics(List.of(settings.topic())).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(settings.topic()).partitions().size();
            if (partitions != 1) {
                throw new IllegalArgumentException("topic " + settings.topic() + " has " + partitions
                        + " partitions; the map needs exactly 1, so that every runtime reads one order");
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new KafkaException("cannot reach " + settings.bootstrap() + " to check topic " + settings.topic() + ": " + e.getMessage(), e);
        } finally {
            admin.close(Duration.ofSeconds(2)); // not close(): that waits for a call to an absent broker to time out on its own
        }
        topicReady.countDown();
    }

    private void checkTopic(Config config, String name, String expected) {
        ConfigEntry entry = config.get(name);
        String actual = entry == null ? null : entry.value();
        if (actual == null || !actual.equals(expected)) {
            throw new IllegalArgumentException("topic " + settings.topic() + " has " + name + "=" + actual + "; the map needs " + expected
                    + " (delete the topic to let the runtime make it, or change it with kafka-configs)");
        }
    }

    // ---- following

    private void follow() {
        Thread.currentThread().setContextClassLoader(getClass().getClassLoader());
        try {
            while (!topicReady.await(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                if (stopping) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            return;
        }
        long started = System.nanoTime();
        RemoteLayers layers = new RemoteLayers(settings.runtime(), map, System.currentTimeMillis() * 1000);
        Presence presence = new Presence(settings.runtime(), settings.detectionMillis());
        Leftovers leftovers = new Leftovers(new HashMap<>(), new HashMap<>());
        Set<RuntimeRecord> declared = new HashSet<>();
        remote = layers;
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = reader;
            Map<TopicPartition, Long> end = null;
            while (end == null) {
                try {
                    List<TopicPartition> partitions = new ArrayList<>();
                    for (PartitionInfo info : reader.partitionsFor(settings.topic())) {
                        partitions.add(new TopicPartition(info.topic(), info.partition()));
                    }
                    reader.assign(partitions);
                    reader.seekToBeginning(partitions);
                    end = reader.endOffsets(partitions); // caught up once read to here
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    problem = "cannot read " + settings.topic() + ": " + e.getMessage();
                    log.warn("Cannot read {} on {} yet: {}. Trying again.", settings.topic(), settings.bootstrap(), e.getMessage());
                }
            }
            state = State.CATCHING_UP;
            problem = null;
            long seen = 0;
            long nextStatus = 0;
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
                    seen++;
                    read(record, layers, presence, layers.isCaughtUp() ? null : leftovers);
                }
                if (!layers.isCaughtUp() && end.entrySet().stream().allMatch(e -> reader.position(e.getKey()) >= e.getValue())) {
                    layers.caughtUp();
                    queue.add(leftovers);
                    state = State.CAUGHT_UP;
                    log.info("Caught up with map \"{}\" on {}: {} records read, {} remote layers, in {} ms.", settings.map(), settings.bootstrap(),
                            seen, layers.layers().size(), (System.nanoTime() - started) / 1_000_000);
                }
                if (System.currentTimeMillis() >= nextStatus) {
                    refreshStatus(reader, end.keySet(), layers, presence);
                    nextStatus = System.currentTimeMillis() + STATUS_MILLIS;
                }
                if (layers.isCaughtUp()) {
                    for (RuntimeRecord gone : presence.toDeclare()) {
                        if (declared.add(gone)) {
                            log.warn("Runtime {} has not been heard of for {} ms: it is declared gone, and its tiles are {}.", gone.runtime(),
                                    settings.detectionMillis(), gone.onDeath() == RuntimeRecord.OnDeath.REMOVE ? "removed" : "kept");
                            queue.add(gone);
                        }
                    }
                }
            }
        } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
            // stopping
        } catch (KafkaException e) {
            fail("cannot read " + settings.topic() + " on " + settings.bootstrap() + ": " + e.getMessage());
        } finally {
            consumer = null;
        }
    }

    private void refreshStatus(KafkaConsumer<byte[], byte[]> reader, Set<TopicPartition> partitions, RemoteLayers layers, Presence presence) {
        long behind = 0;
        for (TopicPartition partition : partitions) {
            behind += reader.currentLag(partition).orElse(0);
        }
        lag = behind;
        peers = presence.peers().stream()
                .map(p -> new Cluster.Peer(p.runtime(), p.online(), java.time.Instant.ofEpochMilli(Math.max(0, p.lastHeardMillis())))).toList();
        remoteCompositors = layers.layers().stream()
                .map(l -> new Cluster.RemoteCompositor(l.name(), l.compositor(), l.runtime(), l.layer(), l.tiles(), l.kept())).toList();
    }

    private void read(ConsumerRecord<byte[], byte[]> record, RemoteLayers layers, Presence presence, Leftovers leftovers) {
        try {
            if (RecordFormat.kind(record.key()) == RecordFormat.RUNTIME) {
                RuntimeRecord runtime = RecordFormat.runtimeRecord(record.key(), record.value());
                if (runtime.runtime().equals(settings.runtime()) && leftovers == null && !stopping) {
                    if (runtime.state() == RuntimeRecord.State.GONE && runtime.epoch() == epoch && rejoinAsked != epoch) {
                        rejoinAsked = epoch;
                        queue.add(REJOIN);
                    } else if (runtime.state() == RuntimeRecord.State.ONLINE && runtime.epoch() > epoch && superseded == null) {
                        superseded = "another runtime with id " + settings.runtime() + " writes to " + settings.topic()
                                + ": this one stopped sending (that one started later, and the others read only the latest start)";
                        fail(superseded);
                    }
                }
                presence.heard(runtime, record.timestamp());
                layers.runtime(runtime);
                return;
            }
            if (leftovers == null && RecordFormat.isOf(record.key(), self)) {
                return; // this runtime's own, sent by its sender: nothing to do once caught up
            }
            var meta = record.headers().lastHeader(RecordFormat.META);
            LayerRecord cell = records.layerRecord(record.key(), record.value(), meta == null ? null : meta.value());
            presence.alive(cell.runtime(), record.timestamp()); // a runtime writing a big delta is not silent
            if (cell.runtime().equals(settings.runtime())) {
                if (leftovers != null && cell.epoch() < epoch) {
                    Set<Long> cells = leftovers.cells().computeIfAbsent(cell.compositor(), c -> new HashSet<>());
                    if (cell.tile() == null) {
                        cells.remove(cell.cell());
                    } else {
                        cells.add(cell.cell());
                        leftovers.layers().put(cell.compositor(), cell.layer());
                    }
                }
                return;
            }
            layers.record(cell);
        } catch (RecordFormat.UnknownRecord e) {
            log.warn("Skipped {} at offset {} of {}: it was written by another version of InfiniteMap or by something else.",
                    e.getMessage(), record.offset(), settings.topic());
        }
    }

    // ---- clients and state

    private Properties clientProperties(String role) {
        Properties properties = new Properties();
        properties.putAll(settings.kafka());
        properties.put("bootstrap.servers", settings.bootstrap());
        properties.put("client.id", "infinitemap-" + settings.runtime() + "-" + role);
        return properties;
    }

    private Properties producerProperties() {
        Properties properties = clientProperties("sender");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"); // in order, once each, across the producer's retries
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        // A broker away is noticed within 10 s: no call blocks, and no record waits for its
        // acknowledgement, longer (the buffer holds about a second of writes, so a big delta's
        // last records do not time out behind its first).
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(8 * 1024 * 1024));
        return properties;
    }

    private Properties consumerProperties() {
        Properties properties = clientProperties("follower");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20000");
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
        return properties;
    }

    private void unreachable(Exception e) {
        if (state != State.UNREACHABLE) {
            log.warn("Cannot write to {} on {}: {}. Local changes wait and are sent when it is back; the local map keeps working.",
                    settings.topic(), settings.bootstrap(), e.getMessage());
        }
        state = State.UNREACHABLE;
        problem = "cannot write to " + settings.topic() + " on " + settings.bootstrap() + ": " + e.getMessage();
    }

    private void recovered() {
        if (state == State.UNREACHABLE) {
            log.info("Writing to {} on {} again.", settings.topic(), settings.bootstrap());
            problem = null;
            RemoteLayers layers = remote;
            state = layers != null && layers.isCaughtUp() ? State.CAUGHT_UP : State.CATCHING_UP;
        }
    }

    private void fail(String message) {
        state = State.FAILED;
        problem = message;
        log.error("The cluster bridge stopped: {}. The local map keeps working.", message);
    }

    private void close(KafkaProducer<byte[], byte[]> producer) {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(2));
            } catch (KafkaException e) {
                log.debug("Closing the Kafka producer: {}", e.getMessage());
            }
        }
    }
}
