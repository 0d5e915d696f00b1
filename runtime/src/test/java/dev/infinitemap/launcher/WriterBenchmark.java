package dev.infinitemap.launcher;

import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A manifest created and then rewritten continuously, in place and by rename, at 10 to 1,000
 * rewrites a second: how soon it first reaches a WebSocket client, and how far the map trails
 * the newest complete version on disk. Run with
 * {@code mvn -B -q install -DskipTests && mvn -B -q -pl runtime exec:java -Dbenchmark=WriterBenchmark}.
 */
public final class WriterBenchmark {

    static final int SECONDS = 5;
    static final int[] RATES = { 10, 50, 200, 1000 };

    private WriterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("infinitemap-writer-bench");
        try (RuntimeProcess runtime = new RuntimeProcess(work)) {
            runtime.env("INFINITEMAP_ADMIN_PASSWORD", "benchmark-password").start();
            System.out.println("| style | rewrites/s | versions | first on the map (ms) | trails newest: p50 | p99 | max (ms) | versions shown | never on disk |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            int y = 20_000;
            for (ContinuousWriter.Style style : ContinuousWriter.Style.values()) {
                for (int rate : RATES) {
                    run(runtime, style, rate, y++);
                }
            }
        }
    }

    private static void run(RuntimeProcess runtime, ContinuousWriter.Style style, int rate, int y) throws Exception {
        Path file = runtime.home.resolve("deploy/bench-" + y + ".manifest.json");
        RowView view = new RowView(y);
        WebSocket socket = view.connect(runtime.port);
        int versions = rate * SECONDS;
        ContinuousWriter writer = new ContinuousWriter(file, style, y, versions, rate);
        writer.run();
        RuntimeProcess.awaitCondition("the last version on the map", java.time.Duration.ofSeconds(60), () -> view.newest == versions);
        socket.abort();
        Files.delete(file);

        Map<Integer, Long> shown = view.shownNanos;
        long first = Collections.min(shown.values()) - writer.completedNanos[1];
        // For each version: from complete on disk until the map shows it or a newer one.
        List<Double> trails = new ArrayList<>();
        long earliestLater = Long.MAX_VALUE;
        for (int v = versions; v >= 1; v--) {
            Long at = shown.get(v);
            if (at != null) {
                earliestLater = Math.min(earliestLater, at);
            }
            trails.add(Math.max(0, earliestLater - writer.completedNanos[v]) / 1e6);
        }
        Collections.sort(trails);
        System.out.println(String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %.1f | %.1f | %.1f | %d | %s |", style == ContinuousWriter.Style.IN_PLACE ? "in place" : "rename",
                rate, versions, first / 1e6, RuntimeBenchmark.percentile(trails, 50), RuntimeBenchmark.percentile(trails, 99),
                trails.get(trails.size() - 1), shown.size(), view.neverOnDisk == null ? "none" : view.neverOnDisk));
    }
}
