package dev.infinitemap.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Measures the assembled runtime as a user meets it, and prints a Markdown table for
 * BENCHMARKS.md:
 * <ul>
 * <li>cold start (a fresh copy, so a clean framework cache) and warm start (same folder again),
 * from launching {@code bin/infinitemap} to its ready line (printed once HTTP answers), then
 * checked: the Web Console says every bundle is active;</li>
 * <li>hot deploy: a jar renamed into {@code deploy/} until the console shows it ACTIVE;</li>
 * <li>hot removal: the jar deleted until the console no longer lists it;</li>
 * <li>a one-tile manifest renamed into {@code deploy/} until {@code /infinitemap/api/status}
 * counts its tile, and deleted until it no longer does;</li>
 * <li>idle cost: the CPU time the runtime uses in 10 s windows while nothing changes but the
 * clock sample.</li>
 * </ul>
 * Run with {@code mvn -B -q install -DskipTests && mvn -B -q -pl runtime exec:java}
 * ({@code -Druns=7 -Ddeploys=30} by default). The console is polled every 2 ms, so each figure
 * includes up to one poll of delay.
 */
public final class RuntimeBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 7);
        int deploys = Integer.getInteger("deploys", 30);
        Path work = Files.createTempDirectory("infinitemap-bench");
        byte[] bundle = TestJars.commonsLang3();
        List<Double> cold = new ArrayList<>();
        List<Double> reported = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        List<Double> deployed = new ArrayList<>();
        List<Double> removed = new ArrayList<>();
        List<Double> manifestAdded = new ArrayList<>();
        List<Double> manifestRemoved = new ArrayList<>();
        List<Double> idle = new ArrayList<>();

        for (int i = 0; i < runs; i++) {
            try (RuntimeProcess runtime = new RuntimeProcess(work.resolve("run-" + i))) {
                runtime.env("INFINITEMAP_ADMIN_PASSWORD", "benchmark-password");
                cold.add(timeToAllActive(runtime));
                reported.add(reportedMillis(runtime));
                runtime.stop();
                warm.add(timeToAllActive(runtime));
                if (i == runs - 1) {
                    for (int d = 0; d < deploys; d++) {
                        deployed.add(hotDeploy(runtime, bundle));
                        removed.add(hotRemove(runtime));
                    }
                    for (int d = 0; d < deploys; d++) {
                        manifestAdded.add(manifestChange(runtime, true));
                        manifestRemoved.add(manifestChange(runtime, false));
                    }
                    idle.addAll(idleCpuPercent(runtime, IDLE_WINDOWS));
                }
                System.err.printf(Locale.ROOT, "run %d of %d: cold %.0f ms, warm %.0f ms%n", i + 1, runs, cold.get(i), warm.get(i));
            }
        }

        System.out.println("| measurement | n | median | p90 | max |");
        System.out.println("|---|---|---|---|---|");
        row("cold start (clean cache): launch to ready line, all bundles active", cold);
        row("cold start as the ready line reports it (JVM start to ready)", reported);
        row("warm start (framework cache kept)", warm);
        row("hot deploy: jar renamed into deploy/ to bundle ACTIVE", deployed);
        row("hot removal: jar deleted from deploy/ to bundle gone", removed);
        row("manifest renamed into deploy/ to its tile on the map (status API)", manifestAdded);
        row("manifest deleted from deploy/ to its tile gone (status API)", manifestRemoved);
        List<Double> sortedIdle = new ArrayList<>(idle);
        Collections.sort(sortedIdle);
        System.out.printf(Locale.ROOT, "| idle: CPU while only the clock sample ticks, %% of one core per %d s window | %d | %.1f %% | %.1f %% | %.1f %% |%n",
                IDLE_WINDOW.toSeconds(), sortedIdle.size(), percentile(sortedIdle, 50), percentile(sortedIdle, 90), sortedIdle.get(sortedIdle.size() - 1));
    }

    private static final int IDLE_WINDOWS = 5;
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(10);

    /** CPU time the runtime's process used in each window, after one window to settle, with no viewer connected. */
    static List<Double> idleCpuPercent(RuntimeProcess runtime, int windows) throws Exception {
        ProcessHandle process = ProcessHandle.of(runtime.pid()).orElseThrow();
        Thread.sleep(IDLE_WINDOW.toMillis()); // pacing: the JIT settles after the deploy runs
        List<Double> percents = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            Duration before = process.info().totalCpuDuration().orElseThrow();
            long t0 = System.nanoTime();
            Thread.sleep(IDLE_WINDOW.toMillis()); // the measured window
            Duration used = process.info().totalCpuDuration().orElseThrow().minus(before);
            percents.add(100.0 * used.toNanos() / (System.nanoTime() - t0));
        }
        return percents;
    }

    // Waits for the ready line by reading a file, which costs the runtime nothing; polling the
    // console during start-up would steal the CPU it is starting with.
    private static double timeToAllActive(RuntimeProcess runtime) throws Exception {
        long t0 = System.nanoTime();
        runtime.launch();
        long deadline = t0 + TIMEOUT.toNanos();
        while (runtime.readyLine() == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no ready line within " + TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(2);
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        String bundles = runtime.getAsAdmin("/system/console/bundles.json").body();
        if (!bundles.contains(" - all ") || !bundles.contains("bundles active")) {
            throw new IllegalStateException("ready, but not every bundle is active: " + bundles);
        }
        return millis;
    }

    private static double reportedMillis(RuntimeProcess runtime) {
        String line = runtime.readyLine();
        String seconds = line.substring("InfiniteMap Runtime ready in ".length()).split(" ")[0];
        return Double.parseDouble(seconds) * 1000;
    }

    private static double hotDeploy(RuntimeProcess runtime, byte[] bundle) throws Exception {
        Path staging = runtime.home.resolve("data/lang3.jar.part");
        Files.write(staging, bundle);
        long t0 = System.nanoTime();
        Files.move(staging, runtime.home.resolve("deploy/lang3.jar"), StandardCopyOption.ATOMIC_MOVE);
        awaitBundles(runtime, body -> body.matches("(?s).*\"state\":\"Active\",[^}]*\"symbolicName\":\"org.apache.commons.lang3\".*"));
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double hotRemove(RuntimeProcess runtime) throws Exception {
        long t0 = System.nanoTime();
        Files.delete(runtime.home.resolve("deploy/lang3.jar"));
        awaitBundles(runtime, body -> body.contains("\"data\"") && !body.contains("org.apache.commons.lang3"));
        return (System.nanoTime() - t0) / 1e6;
    }

    // The clock sample changes the revision every second, so the tile count tells our change.
    private static double manifestChange(RuntimeProcess runtime, boolean add) throws Exception {
        Path target = runtime.home.resolve("deploy/bench.manifest.json");
        int before = tiles(runtime);
        long t0;
        if (add) {
            Path staging = runtime.home.resolve("data/bench.manifest.json.part");
            Files.writeString(staging, "{ \"-9999,-9999\": {\"brick\": \"bench.png\", \"timestamp\": 1} }");
            t0 = System.nanoTime();
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } else {
            t0 = System.nanoTime();
            Files.delete(target);
        }
        int expected = before + (add ? 1 : -1);
        long deadline = t0 + TIMEOUT.toNanos();
        while (tiles(runtime) != expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the map did not change within " + TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(2);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static int tiles(RuntimeProcess runtime) throws Exception {
        String body = runtime.get("/infinitemap/api/status").body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"tiles\":(\\d+)").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no tile count in " + body);
        }
        return Integer.parseInt(m.group(1));
    }

    private static void awaitBundles(RuntimeProcess runtime, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                var response = runtime.getAsAdmin("/system/console/bundles.json");
                if (response.statusCode() == 200 && condition.test(response.body())) {
                    return;
                }
            } catch (java.io.IOException notListeningYet) {
                // still starting
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("timed out after " + TIMEOUT.toSeconds() + " s on port " + runtime.port);
    }

    private static void row(String name, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "| %s | %d | %.0f ms | %.0f ms | %.0f ms |%n", name, sorted.size(),
                percentile(sorted, 50), percentile(sorted, 90), sorted.get(sorted.size() - 1));
    }

    static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
