package dev.infinitemap.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load soak: {@value #CLIENTS} per-cell WebSocket clients while manifests are edited 100
 * times a second for {@code -Dseconds} (60 by default), the clock sample redrawing meanwhile.
 * Checks that every client got every change, in revision order, or was told it fell behind; and
 * reports the runtime's CPU and memory (resident set) over the run.
 * Run with {@code mvn -B -q install -DskipTests && mvn -B -q -pl runtime exec:java -Dbenchmark=LoadSoak}
 * ({@code -Dmode=batch} for batch-mode clients, one message per delta).
 */
public final class LoadSoak {

    static final int CLIENTS = 200;
    static final int FILES = 10;
    static final int Y = 13000;
    static final Pattern UPDATE = Pattern.compile("\\{\"type\":\"tile_update\",\"x\":(-?\\d+),\"y\":(-?\\d+),.*\"revision\":(\\d+)}");
    static final Pattern BATCH_CELL = Pattern.compile("\"(\\d+)," + Y / 10 + "\\d\":\\{");
    static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");

    /** What one client saw. */
    static final class Seen {
        final Set<Integer> edits = ConcurrentHashMap.newKeySet();
        final AtomicLong lastRevision = new AtomicLong();
        final AtomicLong outOfOrder = new AtomicLong();
        final AtomicLong resyncs = new AtomicLong();
        final AtomicLong messages = new AtomicLong();
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("seconds", 60);
        String mode = System.getProperty("mode", "cell");
        Path work = Files.createTempDirectory("infinitemap-soak");
        try (RuntimeProcess runtime = new RuntimeProcess(work)) {
            runtime.env("INFINITEMAP_ADMIN_PASSWORD", "soak-password").start();
            HttpClient http = HttpClient.newHttpClient();
            List<Seen> clients = new ArrayList<>();
            List<WebSocket> sockets = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Seen seen = new Seen();
                clients.add(seen);
                sockets.add(http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + runtime.port + "/infinitemap/ws?mode=" + mode),
                        new ViewerBenchmark.Listener(text -> record(seen, text))).get(10, TimeUnit.SECONDS));
            }
            long cpuBefore = cpuTicks(runtime.pid());
            long maxRss = 0;
            long start = System.nanoTime();
            int edits = 0;
            long nextSample = start;
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds)) {
                int f = edits % FILES;
                runtime.deploy("soak-" + f + ".manifest.json", ("{\"" + edits + "," + (Y + f) + "\":{\"brick\":\"e.png\",\"timestamp\":" + edits + "}}")
                        .getBytes(StandardCharsets.UTF_8));
                edits++;
                long due = start + edits * 10_000_000L; // 100 edits a second
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing the load, not waiting for a result
                }
                if (System.nanoTime() >= nextSample) {
                    maxRss = Math.max(maxRss, rssKb(runtime.pid()));
                    nextSample += TimeUnit.SECONDS.toNanos(1);
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long cpuTicks = cpuTicks(runtime.pid()) - cpuBefore;
            int total = edits;
            // Every client must get every change the map made. FileInstall may fold two writes of a
            // file between its scans into one change, so the reference is what reached the map: the
            // last write of each file surely did, and every edit any client saw did.
            Set<Integer> applied = ConcurrentHashMap.newKeySet();
            clients.forEach(s -> applied.addAll(s.edits));
            for (int e = Math.max(0, total - FILES); e < total; e++) {
                applied.add(e);
            }
            long drainStart = System.nanoTime();
            while (System.nanoTime() - drainStart < TimeUnit.SECONDS.toNanos(60)
                    && !clients.stream().allMatch(s -> s.edits.containsAll(applied) || s.resyncs.get() > 0)) {
                Thread.sleep(100);
                clients.forEach(s -> applied.addAll(s.edits));
            }
            double drained = (System.nanoTime() - drainStart) / 1e9;
            long complete = clients.stream().filter(s -> s.edits.containsAll(applied)).count();
            long resynced = clients.stream().filter(s -> s.resyncs.get() > 0).count();
            long disordered = clients.stream().mapToLong(s -> s.outOfOrder.get()).sum();
            long messages = clients.stream().mapToLong(s -> s.messages.get()).sum();
            sockets.forEach(WebSocket::abort);

            System.out.println("| measurement | value |");
            System.out.println("|---|---|");
            System.out.printf(Locale.ROOT, "| run | %d %s-mode clients, %d edits in %.1f s (%.0f edits/s), plus the clock's 203 cells every second |%n",
                    CLIENTS, mode, total, elapsed, total / elapsed);
            System.out.printf(Locale.ROOT, "| edits that reached the map | %d of %d written (FileInstall folded the rest into the next write of the same file) |%n",
                    applied.size(), total);
            System.out.printf(Locale.ROOT, "| clients with every change | %d of %d (the last arrived %.1f s after the last edit) |%n", complete, CLIENTS, drained);
            System.out.printf(Locale.ROOT, "| clients still behind 60 s after the last edit, not told so | %d |%n",
                    clients.stream().filter(s -> !s.edits.containsAll(applied) && s.resyncs.get() == 0).count());
            System.out.printf(Locale.ROOT, "| clients told they fell behind (resync) | %d |%n", resynced);
            System.out.printf(Locale.ROOT, "| messages out of revision order | %d |%n", disordered);
            System.out.printf(Locale.ROOT, "| messages delivered | %,d (%,.0f/s) |%n", messages, messages / elapsed);
            System.out.printf(Locale.ROOT, "| runtime CPU | %.0f%% of one core on average |%n", cpuTicks / elapsed); // 100 ticks a second
            System.out.printf(Locale.ROOT, "| runtime resident memory | %,d kB at most (sampled every second) |%n", maxRss);
        }
    }

    private static void record(Seen seen, String text) {
        seen.messages.incrementAndGet();
        if (text.startsWith("{\"type\":\"resync\"")) {
            seen.resyncs.incrementAndGet();
            return;
        }
        Matcher revision = REVISION.matcher(text);
        if (!revision.find()) {
            return;
        }
        long r = Long.parseLong(revision.group(1));
        if (text.startsWith("{\"type\":\"snapshot\"")) {
            seen.lastRevision.set(r);
            return;
        }
        if (r < seen.lastRevision.get()) {
            seen.outOfOrder.incrementAndGet();
        }
        seen.lastRevision.set(r);
        Matcher update = UPDATE.matcher(text);
        if (update.matches() && Integer.parseInt(update.group(2)) >= Y && Integer.parseInt(update.group(2)) < Y + FILES) {
            seen.edits.add(Integer.parseInt(update.group(1)));
        } else if (text.startsWith("{\"type\":\"manifest_update\"")) {
            Matcher cell = BATCH_CELL.matcher(text);
            while (cell.find()) {
                seen.edits.add(Integer.parseInt(cell.group(1)));
            }
        }
    }

    /** utime + stime of a process, in clock ticks (100 a second on Linux). */
    static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }
}
