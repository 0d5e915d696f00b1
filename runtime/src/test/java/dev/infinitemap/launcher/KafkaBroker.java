package dev.infinitemap.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker (the one from Maven Central, {@code kafka_2.13}) in a process of its
 * own, in KRaft combined mode (broker and controller in one) on two free loopback ports, with
 * its data in a folder of the test's. Its class path is written by the {@code tools/kafka-broker}
 * module into the file named by {@code -Dinfinitemap.broker.classpath}.
 */
final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String classpath;
    private final String jit;
    private Process process;
    private int starts;

    KafkaBroker(Path dir) throws IOException, InterruptedException {
        this(dir, true);
    }

    /**
     * @param quickStart whether the broker's JVM compiles with C1 only: it starts in about half
     *        the time and serves each request slower, which tests want and benchmarks do not
     */
    KafkaBroker(Path dir, boolean quickStart) throws IOException, InterruptedException {
        this.dir = dir;
        this.jit = quickStart ? "-XX:TieredStopAtLevel=1" : "-XX:+TieredCompilation";
        this.port = RuntimeProcess.freePort();
        this.controllerPort = RuntimeProcess.freePort();
        Path classpathFile = Path.of(System.getProperty("infinitemap.broker.classpath", "../tools/kafka-broker/target/broker.classpath"));
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException("no broker class path at " + classpathFile.toAbsolutePath() + "; run mvn verify from the project root");
        }
        this.classpath = Files.readString(classpathFile, StandardCharsets.UTF_8).strip();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.cleaner.backoff.ms=1000",
                ""), StandardCharsets.UTF_8);
        Process format = new ProcessBuilder(java(), "-XX:TieredStopAtLevel=1", "-cp", classpath, "kafka.tools.StorageTool", "format",
                "-t", clusterId(), "-c", dir.resolve("server.properties").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("format.txt").toFile()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("kafka storage format failed:\n" + Files.readString(dir.resolve("format.txt")));
        }
    }

    /** Starts the broker and waits until its client port takes connections. */
    KafkaBroker start() throws IOException, InterruptedException {
        starts++;
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx384m", "-XX:+UseSerialGC", jit,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath, "kafka.Kafka", dir.resolve("server.properties").toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.txt").toFile())).start();
        RuntimeProcess.awaitCondition("the Kafka broker's port " + port, START_TIMEOUT, () -> !process.isAlive() || listening());
        if (!process.isAlive()) {
            throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + ":\n" + output());
        }
        return this;
    }

    /** Kills the broker with SIGKILL, as a crash would; {@link #start()} brings it back on its ports and data. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the Kafka broker did not die within 30 s of SIGKILL");
        }
    }

    /** Sends a signal: {@code STOP} freezes the broker as a network partition would, {@code CONT} resumes it. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " of the broker failed: " + new String(kill.getInputStream().readAllBytes()));
        }
    }

    /** @return the bootstrap servers for clients */
    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    String output() {
        try {
            return Files.readString(dir.resolve("broker.txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // Kafka's cluster id: 16 bytes in URL-safe base64 without padding, not starting with '-'.
    private static String clusterId() {
        java.util.Random random = new java.security.SecureRandom();
        while (true) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
