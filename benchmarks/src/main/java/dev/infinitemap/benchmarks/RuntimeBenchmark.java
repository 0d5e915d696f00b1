package dev.infinitemap.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Measures the assembled runtime as a user meets it: cold start (clean cache) and warm start
 * to "HTTP answers and every bundle is active", hot deploy of a jar renamed into deploy/ to
 * the bundle being ACTIVE, and hot removal to the bundle being gone.
 * <p>
 * Run: {@code mvn -B -q -pl benchmarks exec:java} after {@code mvn -B install -DskipTests}.
 * Optional system properties: {@code -Druns=7} (starts), {@code -Ddeploys=30}.
 */
public final class RuntimeBenchmark {

    private static final String PASSWORD = "benchmark-password";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path dist;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private RuntimeBenchmark(Path dist) {
        this.dist = dist;
    }

    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args.length > 0 ? args[0] : "runtime/target/infinitemap").toAbsolutePath().normalize();
        int runs = Integer.getInteger("runs", 7);
        int deploys = Integer.getInteger("deploys", 30);
        new RuntimeBenchmark(dist).run(runs, deploys);
    }

    private void run(int runs, int deploys) throws Exception {
        Path work = Files.createTempDirectory("infinitemap-bench");
        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        List<Double> reported = new ArrayList<>();
        List<Double> deployed = new ArrayList<>();
        List<Double> removed = new ArrayList<>();
        byte[] bundle = Files.readAllBytes(Path.of(org.apache.commons.lang3.StringUtils.class.getProtectionDomain().getCodeSource().getLocation().toURI()));

        for (int i = 0; i < runs; i++) {
            Path home = work.resolve("run-" + i);
            copyTree(dist, home);
            int port = freePort();
            Started started = start(home, port);
            cold.add(started.millis);
            reported.add(started.reportedMillis);
            stop(started.process);
            Started again = start(home, port);
            warm.add(again.millis);
            if (i == runs - 1) {
                for (int d = 0; d < deploys; d++) {
                    deployed.add(hotDeploy(home, port, bundle));
                    removed.add(hotRemove(home, port));
                }
            }
            stop(again.process);
            System.err.printf(Locale.ROOT, "run %d: cold %.0f ms, warm %.0f ms%n", i + 1, started.millis, again.millis);
        }

        System.out.println("| measurement | n | median | p90 | max |");
        System.out.println("|---|---|---|---|---|");
        row("cold start, clean cache: launch to HTTP answering with all bundles active", cold);
        row("cold start as the ready line reports it", reported);
        row("warm start (framework cache kept)", warm);
        row("hot deploy: jar renamed into deploy/ to bundle ACTIVE", deployed);
        row("hot removal: jar deleted from deploy/ to bundle gone", removed);
    }

    private record Started(Process process, double millis, double reportedMillis) {
    }

    private Started start(Path home, int port) throws Exception {
        Path out = home.resolve("log/bench-stdout.txt");
        Files.deleteIfExists(out);
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/infinitemap").toString())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("INFINITEMAP_HTTP_PORT", String.valueOf(port));
        builder.environment().put("INFINITEMAP_ADMIN_PASSWORD", PASSWORD);
        long t0 = System.nanoTime();
        Process process = builder.start();
        awaitBundles(port, body -> body.contains("bundles active") && body.contains(" - all "));
        double millis = (System.nanoTime() - t0) / 1e6;
        String ready = "";
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!(ready = Files.readString(out)).contains("ready in ") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        String seconds = ready.substring(ready.indexOf("ready in ") + 9).split(" ")[0];
        return new Started(process, millis, Double.parseDouble(seconds) * 1000);
    }

    private double hotDeploy(Path home, int port, byte[] bundle) throws Exception {
        Path staging = home.resolve("data/lang3.jar.part");
        Files.write(staging, bundle);
        long t0 = System.nanoTime();
        Files.move(staging, home.resolve("deploy/lang3.jar"), StandardCopyOption.ATOMIC_MOVE);
        awaitBundles(port, body -> body.matches("(?s).*\"state\":\"Active\",[^}]*\"symbolicName\":\"org.apache.commons.lang3\".*"));
        return (System.nanoTime() - t0) / 1e6;
    }

    private double hotRemove(Path home, int port) throws Exception {
        long t0 = System.nanoTime();
        Files.delete(home.resolve("deploy/lang3.jar"));
        awaitBundles(port, body -> body.contains("\"data\"") && !body.contains("org.apache.commons.lang3"));
        return (System.nanoTime() - t0) / 1e6;
    }

    private void awaitBundles(int port, Predicate<String> condition) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/system/console/bundles.json"))
                .header("Authorization", auth).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && condition.test(response.body())) {
                    return;
                }
            } catch (IOException notYetListening) {
                // the runtime is still starting
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("timed out waiting on port " + port);
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("runtime did not stop on SIGTERM");
        }
    }

    private static void row(String name, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "| %s | %d | %.0f ms | %.0f ms | %.0f ms |%n", name, sorted.size(),
                percentile(sorted, 50), percentile(sorted, 90), sorted.get(sorted.size() - 1));
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
