package dev.infinitemap.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The viewers' end-to-end paths against the assembled runtime, each side by side in one run
 * with the old way (a client polling {@code manifest.json} every 2 s and diffing it), and a
 * Markdown table for BENCHMARKS.md:
 * <ul>
 * <li>manifest edit to client: {@value #EDITS} edits, one every {@value #EDIT_PACE_MS} ms, each
 * adding one cell; the time from the file's rename into {@code deploy/} to the moment a
 * WebSocket client, and the poller, first sees that cell;</li>
 * <li>compositor jar dropped into {@code deploy/} to its tiles at a batch-mode client (one
 * message carries the whole delta), and deleted to their removal;</li>
 * <li>fan-out: 100 per-cell clients and 10,000 tile changes (one 10,000-tile manifest, then
 * 100 manifests of 100 tiles dropped back to back): time until every client had every
 * message, and how many were lost.</li>
 * </ul>
 * Run with {@code mvn -B -q install -DskipTests && mvn -B -q -pl runtime exec:java -Dbenchmark=ViewerBenchmark}.
 */
public final class ViewerBenchmark {

    static final int EDITS = 200;
    static final int EDIT_PACE_MS = 100;
    static final int JAR_DROPS = 15;
    static final int CLIENTS = 100;
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final Pattern CELL = Pattern.compile("\"x\":(\\d+),\"y\":(\\d+)");

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("infinitemap-viewer-bench");
        try (RuntimeProcess runtime = new RuntimeProcess(work)) {
            runtime.env("INFINITEMAP_ADMIN_PASSWORD", "benchmark-password").start();
            System.out.println("| measurement | n | median | p90 | p99 | max |");
            System.out.println("|---|---|---|---|---|---|");
            manifestEdits(runtime);
            jarDrops(runtime);
            fanOut(runtime);
        }
    }

    /** Edits seen by a WebSocket client and by a 2-second poller of manifest.json, in the same run. */
    private static void manifestEdits(RuntimeProcess runtime) throws Exception {
        long[] edited = new long[EDITS];
        Map<Integer, Long> pushed = new ConcurrentHashMap<>();
        Map<Integer, Long> polled = new ConcurrentHashMap<>();
        HttpClient http = HttpClient.newHttpClient();
        Listener listener = new Listener(text -> {
            long now = System.nanoTime();
            Matcher m = CELL.matcher(text);
            if (text.startsWith("{\"type\":\"tile_update\"") && m.find() && m.group(2).equals("9999")) {
                pushed.putIfAbsent(Integer.parseInt(m.group(1)), now);
            }
        });
        WebSocket socket = connect(http, runtime, "", listener);
        Thread poller = new Thread(() -> poll(http, runtime, polled), "old-way-poller");
        poller.setDaemon(true);
        poller.start();

        StringBuilder tiles = new StringBuilder();
        for (int k = 0; k < EDITS; k++) {
            tiles.append(k == 0 ? "" : ",").append("\"").append(k).append(",9999\":{\"brick\":\"e.png\",\"timestamp\":1}");
            byte[] content = ("{" + tiles + "}").getBytes(StandardCharsets.UTF_8);
            edited[k] = System.nanoTime();
            runtime.deploy("bench-edits.manifest.json", content);
            Thread.sleep(EDIT_PACE_MS); // the pace of the load, not a wait for a result
        }
        await("every edit pushed", () -> pushed.size() == EDITS);
        await("every edit polled", () -> polled.size() == EDITS);
        poller.interrupt();
        socket.abort();
        row("manifest edit to client, WebSocket push", latencies(edited, pushed));
        row("manifest edit to client, old way (poll manifest.json every 2 s)", latencies(edited, polled));
        Files.delete(runtime.home.resolve("deploy/bench-edits.manifest.json"));
    }

    /** The old client: GET the whole manifest every 2 s and diff it against the last one. */
    private static void poll(HttpClient http, RuntimeProcess runtime, Map<Integer, Long> seen) {
        Pattern key = Pattern.compile("\"(\\d+),9999\"");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port + "/infinitemap/manifest.json")).build();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                long now = System.nanoTime();
                Matcher m = key.matcher(body);
                while (m.find()) {
                    seen.putIfAbsent(Integer.parseInt(m.group(1)), now);
                }
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The spiral sample's jar dropped and deleted, seen by a batch-mode client. */
    private static void jarDrops(RuntimeProcess runtime) throws Exception {
        Path jar = runtime.home.resolve("deploy/dev.infinitemap.compositor.spiral-0.1.0-SNAPSHOT.jar");
        byte[] bytes = Files.readAllBytes(jar);
        AtomicLong drawn = new AtomicLong();
        AtomicLong erased = new AtomicLong();
        Listener listener = new Listener(text -> {
            long now = System.nanoTime();
            if (text.contains("spiral-teal.png")) {
                drawn.compareAndSet(0, now);
            } else if (removedCells(text) >= 100) { // the spiral leaving; the clock only ever puts
                erased.compareAndSet(0, now);
            }
        });
        HttpClient http = HttpClient.newHttpClient();
        WebSocket socket = connect(http, runtime, "?mode=batch", listener);
        Files.delete(jar);
        await("the spiral gone", () -> !get(runtime, "/infinitemap/api/compositors").contains("\"spiral\""));
        List<Double> drops = new ArrayList<>();
        List<Double> removals = new ArrayList<>();
        for (int i = 0; i < JAR_DROPS; i++) {
            drawn.set(0);
            long start = System.nanoTime();
            runtime.deploy(jar.getFileName().toString(), bytes);
            await("the spiral's tiles at the client", () -> drawn.get() != 0);
            drops.add((drawn.get() - start) / 1e6);

            erased.set(0);
            start = System.nanoTime();
            Files.delete(jar);
            await("the spiral's tiles removed at the client", () -> erased.get() != 0);
            removals.add((erased.get() - start) / 1e6);
        }
        socket.abort();
        row("compositor jar dropped into deploy/ to its tiles at a client", drops);
        row("compositor jar deleted to its tiles removed at a client", removals);
        runtime.deploy(jar.getFileName().toString(), bytes);
    }

    /** 10,000 changes to 100 per-cell clients, twice: one big delta, then 100 small ones. */
    private static void fanOut(RuntimeProcess runtime) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<AtomicLong> received = new ArrayList<>();
        List<AtomicLong> resyncs = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        int[] row = { 20000 };
        for (int c = 0; c < CLIENTS; c++) {
            AtomicLong count = new AtomicLong();
            AtomicLong resync = new AtomicLong();
            received.add(count);
            resyncs.add(resync);
            sockets.add(connect(http, runtime, "", new Listener(text -> {
                if (text.contains("\"y\":" + row[0] + ",")) {
                    count.incrementAndGet();
                } else if (text.startsWith("{\"type\":\"resync\"")) {
                    resync.incrementAndGet();
                }
            })));
        }
        for (String shape : List.of("one delta of 10,000 cells", "100 deltas of 100 cells")) {
            received.forEach(count -> count.set(0));
            long start = System.nanoTime();
            if (shape.startsWith("one")) {
                runtime.deploy("fan-out.manifest.json", TestManifests.row(0, 10_000, row[0], "f.png"));
            } else {
                for (int f = 0; f < 100; f++) {
                    runtime.deploy("fan-out-" + f + ".manifest.json", TestManifests.row(f * 100, 100, row[0], "f.png"));
                }
            }
            long expected = 10_000L * CLIENTS;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (total(received) < expected && System.nanoTime() < deadline && total(resyncs) == 0) {
                Thread.sleep(5);
            }
            double millis = (System.nanoTime() - start) / 1e6;
            long lost = expected - total(received);
            System.out.printf(Locale.ROOT, "| fan-out, %s, to %d clients: every client has every change | 1 | %.0f ms | | | | lost: %d, resyncs: %d%n",
                    shape, CLIENTS, millis, lost, total(resyncs));
            row[0]++;
        }
        sockets.forEach(WebSocket::abort);
    }

    private static int removedCells(String batch) {
        int start = batch.indexOf("\"removed\":[\"");
        return start < 0 ? 0 : (int) batch.substring(start).chars().filter(c -> c == '"').count() / 2;
    }

    private static long total(List<AtomicLong> counts) {
        return counts.stream().mapToLong(AtomicLong::get).sum();
    }

    private static List<Double> latencies(long[] edited, Map<Integer, Long> seen) {
        List<Double> result = new ArrayList<>();
        for (int k = 0; k < edited.length; k++) {
            result.add((seen.get(k) - edited[k]) / 1e6);
        }
        return result;
    }

    static WebSocket connect(HttpClient http, RuntimeProcess runtime, String query, Listener listener) throws Exception {
        return http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + runtime.port + "/infinitemap/ws" + query), listener)
                .get(10, TimeUnit.SECONDS);
    }

    private static String get(RuntimeProcess runtime, String path) {
        try {
            return runtime.get(path).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        RuntimeProcess.awaitCondition(what, TIMEOUT, condition);
    }

    static void row(String name, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "| %s | %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms |%n", name, sorted.size(),
                RuntimeBenchmark.percentile(sorted, 50), RuntimeBenchmark.percentile(sorted, 90), RuntimeBenchmark.percentile(sorted, 99),
                sorted.get(sorted.size() - 1));
    }

    /** Hands every whole text message to a consumer; answers heartbeats so the server keeps it. */
    static final class Listener implements WebSocket.Listener {
        private final Consumer<String> consumer;
        private final StringBuilder partial = new StringBuilder();

        Listener(Consumer<String> consumer) {
            this.consumer = consumer;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (text.startsWith("{\"type\":\"heartbeat\"")) {
                    socket.sendText("{\"type\":\"heartbeat\",\"timestamp\":0}", true);
                }
                consumer.accept(text);
            }
            socket.request(1);
            return null;
        }
    }
}
