package dev.infinitemap.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The runtime under hostile load (issue 9), three scenarios one after another, each on a fresh
 * runtime with the default settings:
 * <ol>
 * <li>{@code snapshots}: 1,000 clients that never read ask for {@code ?since=0} of a
 * 200,000-tile map and stay (they send heartbeats) for {@code -Dseconds} (60); a reading
 * client gets an edit every 500 ms. Reports its latency, the heap and any OutOfMemoryError.
 * <li>{@code flood}: a manifest of 10,000 tiles rewritten 10 times a second, each time with
 * new timestamps (100,000 tile changes a second) for {@code -Dseconds}; then it is deleted.
 * Reports the heap after GC during the flood and after.
 * <li>{@code cameras}: 20 viewers and a client sending camera updates as fast as it can,
 * connecting again whenever it is closed; an edit every 200 ms. Reports the viewers' latency.
 * <li>{@code files}: 10,000 small manifests in deploy/ before the start. Reports the time to
 * the ready line and until all are on the map, the idle CPU over 30 s (from 10 s after that), and edits of one of
 * them, from the write to a client's message.
 * </ol>
 * Run with {@code mvn -B -q install -DskipTests && mvn -B -q -pl runtime exec:java -Dbenchmark=HostileLoadBenchmark}
 * ({@code -Dscenarios=snapshots,flood,cameras,files} picks some).
 */
public final class HostileLoadBenchmark {

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("seconds", 60);
        List<String> scenarios = List.of(System.getProperty("scenarios", "snapshots,flood,cameras,files").split(","));
        System.out.printf(Locale.ROOT, "Machine: %d cores, %d GB; the runtime's heap limit is the JVM default (a quarter of that)%n",
                Runtime.getRuntime().availableProcessors(), osMemoryBytes() >> 30);
        if (scenarios.contains("snapshots")) {
            snapshots(seconds);
        }
        if (scenarios.contains("flood")) {
            flood(seconds);
        }
        if (scenarios.contains("cameras")) {
            cameras(seconds);
        }
        if (scenarios.contains("files")) {
            files();
        }
    }

    private static void files() throws Exception {
        Path work = Files.createTempDirectory("infinitemap-hostile");
        try (RuntimeProcess runtime = new RuntimeProcess(work)) {
            for (int f = 0; f < 10_000; f++) {
                Files.writeString(runtime.home.resolve("deploy/many-" + f + ".manifest.json"),
                        "{\"" + f + ",33000\":{\"brick\":\"m.png\",\"timestamp\":1}}");
            }
            long started = System.nanoTime();
            runtime.start();
            double ready = (System.nanoTime() - started) / 1e9;
            RuntimeProcess.awaitCondition("10,000 manifests on the map", java.time.Duration.ofSeconds(300),
                    () -> statusTiles(runtime) >= 10_000);
            double all = (System.nanoTime() - started) / 1e9;
            // Idle is measured past the start's compiling, as benchmarks/compare-builds.sh does.
            TimeUnit.SECONDS.sleep(10);
            long cpuBefore = LoadSoak.cpuTicks(runtime.pid());
            long idleStart = System.nanoTime();
            TimeUnit.SECONDS.sleep(30); // measuring the idle CPU over 30 s, not waiting for a result
            double idle = (LoadSoak.cpuTicks(runtime.pid()) - cpuBefore) / ((System.nanoTime() - idleStart) / 1e9);
            List<Double> latencies;
            try (WsClient client = new WsClient(runtime.port, "")) {
                latencies = new Edits(runtime, 34_000).measure(client, 30, 300);
            }
            System.out.println();
            System.out.println("### 10,000 manifests in deploy/");
            System.out.println();
            System.out.println("| measurement | value |");
            System.out.println("|---|---|");
            System.out.printf(Locale.ROOT, "| start to the ready line | %.1f s |%n", ready);
            System.out.printf(Locale.ROOT, "| start until all 10,000 are on the map | %.1f s |%n", all);
            System.out.printf(Locale.ROOT, "| CPU while idle, over 30 s | %.1f%% of one core |%n", idle);
            System.out.printf(Locale.ROOT, "| edit of a manifest to a client (30 edits) | median %.0f ms, p90 %.0f ms, max %.0f ms |%n",
                    pct(latencies, 50), pct(latencies, 90), pct(latencies, 100));
        }
    }


    private static void snapshots(int seconds) throws Exception {
        Path work = Files.createTempDirectory("infinitemap-hostile");
        try (RuntimeProcess runtime = new RuntimeProcess(work)) {
            runtime.start();
            Edits edits = new Edits(runtime, 30_000);
            for (int f = 0; f < 4; f++) {
                runtime.deploy("big-" + f + ".manifest.json", TestManifests.row(f * 50_000, 50_000, 25_000, "m.png"));
            }
            RuntimeProcess.awaitCondition("200,000 tiles on the map", java.time.Duration.ofSeconds(60), () -> statusTiles(runtime) >= 200_000);
            try (WsClient reader = new WsClient(runtime.port, "")) {
                List<Double> alone = edits.measure(reader, 20, 500);
                long heapBefore = runtime.heapAfterGc();

                HttpClient http = HttpClient.newHttpClient();
                List<WebSocket> stalled = new ArrayList<>();
                for (int c = 0; c < 1_000; c++) {
                    stalled.add(http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + runtime.port + "/infinitemap/ws?since=0"),
                            new WebSocket.Listener() {
                                @Override
                                public void onOpen(WebSocket webSocket) {
                                    // never asks for a message
                                }
                            }).get(30, TimeUnit.SECONDS));
                }
                long maxHeapUsed = 0;
                long start = System.nanoTime();
                List<Double> loaded = new ArrayList<>();
                while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds)) {
                    for (WebSocket socket : stalled) {
                        if (!socket.isOutputClosed()) {
                            socket.sendText("{\"type\":\"heartbeat\",\"timestamp\":1}", true);
                        }
                    }
                    loaded.addAll(edits.measure(reader, 10, 500));
                    maxHeapUsed = Math.max(maxHeapUsed, heapUsed(runtime));
                }
                long heapAfter = runtime.heapAfterGc();
                long open = stalled.stream().filter(s -> !s.isInputClosed()).count();
                stalled.forEach(WebSocket::abort);
                String log = runtime.log();
                System.out.println();
                System.out.println("### 1,000 clients that never read ask for since=0 of a 200,000-tile map");
                System.out.println();
                System.out.println("| measurement | value |");
                System.out.println("|---|---|");
                System.out.printf(Locale.ROOT, "| edit to reading client, alone (20 edits) | median %.0f ms, p99 %.0f ms |%n", pct(alone, 50), pct(alone, 99));
                System.out.printf(Locale.ROOT, "| edit to reading client, beside the 1,000 (%d edits over %d s) | median %.0f ms, p99 %.0f ms, max %.0f ms |%n",
                        loaded.size(), seconds, pct(loaded, 50), pct(loaded, 99), pct(loaded, 100));
                System.out.printf(Locale.ROOT, "| heap after GC with the map, before the clients | %d MB |%n", heapBefore >> 20);
                System.out.printf(Locale.ROOT, "| heap after GC at the end, 1,000 clients connected | %d MB |%n", heapAfter >> 20);
                System.out.printf(Locale.ROOT, "| heap in use at most (sampled after each 10 edits, before GC) | %d MB |%n", maxHeapUsed >> 20);
                System.out.printf(Locale.ROOT, "| stalled clients still connected at the end | %d of 1,000 |%n", open);
                System.out.printf(Locale.ROOT, "| OutOfMemoryError in the log | %d |%n", count(log, "OutOfMemoryError"));
                System.out.printf(Locale.ROOT, "| log lines about clients closed with 1013 | %d |%n", count(log, "with 1013"));
            }
        }
    }

    private static void flood(int seconds) throws Exception {
        Path work = Files.createTempDirectory("infinitemap-hostile");
        try (RuntimeProcess runtime = new RuntimeProcess(work)) {
            runtime.start();
            long baseline = runtime.heapAfterGc();
            long start = System.nanoTime();
            long nextSample = start + TimeUnit.SECONDS.toNanos(5);
            long maxDuring = 0;
            int writes = 0;
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds)) {
                writes++;
                runtime.deploy("flood.manifest.json", rowAt(10_000, 26_000, writes));
                long due = start + writes * 100_000_000L; // 10 writes a second
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing the load, not waiting for a result
                }
                if (System.nanoTime() >= nextSample) {
                    maxDuring = Math.max(maxDuring, runtime.heapAfterGc());
                    nextSample = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long applied = count(runtime.log(), "deploy/flood.manifest.json applied");
            Files.delete(runtime.home.resolve("deploy/flood.manifest.json"));
            RuntimeProcess.awaitCondition("the flood's tiles gone", java.time.Duration.ofSeconds(60), () -> statusTiles(runtime) < 10_000);
            long after = runtime.heapAfterGc();
            System.out.println();
            System.out.println("### A compositor changing 100,000 tiles a second");
            System.out.println();
            System.out.println("| measurement | value |");
            System.out.println("|---|---|");
            System.out.printf(Locale.ROOT, "| load | %d writes of 10,000 tiles in %.1f s (%,.0f tile changes a second written) |%n", writes, elapsed, writes * 10_000 / elapsed);
            System.out.printf(Locale.ROOT, "| writes applied (FileInstall and the watch fold a write that follows within a scan into the next) | %d |%n", applied);
            System.out.printf(Locale.ROOT, "| heap after GC before the flood | %d MB |%n", baseline >> 20);
            System.out.printf(Locale.ROOT, "| heap after GC during the flood, highest of samples every 5 s | %d MB |%n", maxDuring >> 20);
            System.out.printf(Locale.ROOT, "| heap after GC once the file was deleted | %d MB |%n", after >> 20);
            System.out.printf(Locale.ROOT, "| OutOfMemoryError in the log | %d |%n", count(runtime.log(), "OutOfMemoryError"));
        }
    }

    private static void cameras(int seconds) throws Exception {
        Path work = Files.createTempDirectory("infinitemap-hostile");
        try (RuntimeProcess runtime = new RuntimeProcess(work)) {
            runtime.start();
            Edits edits = new Edits(runtime, 31_000);
            List<WsClient> viewers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                viewers.add(new WsClient(runtime.port, ""));
            }
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger connections = new AtomicInteger();
            Thread flooder = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try (WsClient flood = new WsClient(runtime.port, "")) {
                        connections.incrementAndGet();
                        while (!flood.closed.isDone()) {
                            flood.send("{\"type\":\"camera_update\",\"x\":" + sent.incrementAndGet() + ",\"y\":0,\"zoom\":1}");
                        }
                    } catch (Exception e) {
                        // closed by the runtime: connect again, as an attacker would
                    }
                }
            }, "camera-flooder");
            flooder.setDaemon(true);
            List<Double> alone = edits.measureAll(viewers, 20, 200);
            long floodStart = System.nanoTime();
            flooder.start();
            List<Double> flooded = new ArrayList<>();
            while (System.nanoTime() - floodStart < TimeUnit.SECONDS.toNanos(seconds)) {
                flooded.addAll(edits.measureAll(viewers, 10, 200));
            }
            flooder.interrupt();
            double elapsed = (System.nanoTime() - floodStart) / 1e9;
            long cameras = 0;
            for (WsClient viewer : viewers) {
                synchronized (viewer.received) {
                    cameras = Math.max(cameras, viewer.received.stream().filter(m -> m.contains("camera_update")).count());
                }
            }
            viewers.forEach(WsClient::close);
            System.out.println();
            System.out.println("### A camera flood beside 20 viewers");
            System.out.println();
            System.out.println("| measurement | value |");
            System.out.println("|---|---|");
            System.out.printf(Locale.ROOT, "| flood | %,d camera updates over %d connections in %.1f s (%,.0f a second) |%n", sent.get(), connections.get(),
                    elapsed, sent.get() / elapsed);
            System.out.printf(Locale.ROOT, "| edit to all 20 viewers, no flood (20 edits) | median %.0f ms, p99 %.0f ms |%n", pct(alone, 50), pct(alone, 99));
            System.out.printf(Locale.ROOT, "| edit to all 20 viewers, during the flood (%d edits) | median %.0f ms, p99 %.0f ms, max %.0f ms |%n", flooded.size(),
                    pct(flooded, 50), pct(flooded, 99), pct(flooded, 100));
            System.out.printf(Locale.ROOT, "| camera updates that reached one viewer | %,d at most |%n", cameras);
        }
    }

    /** Single-cell edits of one manifest, timed from the write to the client's message. */
    private static final class Edits {
        private final RuntimeProcess runtime;
        private final int y;
        private int next;

        Edits(RuntimeProcess runtime, int y) {
            this.runtime = runtime;
            this.y = y;
        }

        List<Double> measure(WsClient reader, int count, long periodMillis) throws Exception {
            return measureAll(List.of(reader), count, periodMillis);
        }

        /** @return for each edit, the time until the last of the clients had it, in ms */
        List<Double> measureAll(List<WsClient> clients, int count, long periodMillis) throws Exception {
            List<Double> latencies = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                for (WsClient client : clients) {
                    client.send("{\"type\":\"heartbeat\",\"timestamp\":1}"); // a silent client is closed after 30 s
                }
                int x = next++;
                long started = System.nanoTime();
                runtime.deploy("edit.manifest.json", ("{\"" + x + "," + y + "\":{\"brick\":\"e.png\",\"timestamp\":" + x + "}}").getBytes(StandardCharsets.UTF_8));
                String marker = "\"x\":" + x + ",\"y\":" + y + ",";
                for (WsClient client : clients) {
                    try {
                        client.next(m -> m.contains(marker), java.time.Duration.ofSeconds(30));
                    } catch (AssertionError e) {
                        String log = runtime.log();
                        throw new AssertionError("edit " + x + " did not reach a client (closed: " + client.closed + " " + client.closeReason + "); log ends:\n"
                                + log.substring(Math.max(0, log.length() - 3000)), e);
                    }
                }
                latencies.add((System.nanoTime() - started) / 1e6);
                long wait = started + TimeUnit.MILLISECONDS.toNanos(periodMillis) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing the edits, not waiting for a result
                }
            }
            return latencies;
        }
    }

    private static byte[] rowAt(int count, int y, int timestamp) {
        StringBuilder out = new StringBuilder("{");
        for (int x = 0; x < count; x++) {
            out.append(x == 0 ? "" : ",").append('"').append(x).append(',').append(y).append("\":{\"brick\":\"f.png\",\"timestamp\":").append(timestamp).append('}');
        }
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long heapUsed(RuntimeProcess runtime) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process info = new ProcessBuilder(jcmd, Long.toString(runtime.pid()), "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        info.waitFor();
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
        return used.find() ? Long.parseLong(used.group(1)) * 1024 : 0;
    }

    private static int statusTiles(RuntimeProcess runtime) {
        return statusField(runtime, "tiles");
    }


    private static int statusField(RuntimeProcess runtime, String field) {
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\":(\\d+)").matcher(runtime.get("/infinitemap/api/status").body());
            return m.find() ? (int) Math.min(Integer.MAX_VALUE, Long.parseLong(m.group(1))) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    private static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return RuntimeBenchmark.percentile(sorted, p);
    }

    private static long osMemoryBytes() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    }
}
