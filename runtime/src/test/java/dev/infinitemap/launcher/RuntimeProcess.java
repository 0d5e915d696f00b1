package dev.infinitemap.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The assembled runtime, copied to a folder of its own and started as a real process with
 * {@code bin/infinitemap} on a free port: what a user gets.
 */
final class RuntimeProcess implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    final Path home;
    final int port;
    private final Map<String, String> environment = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private Path stdout;
    private int starts;

    /** Copies the assembled runtime ({@code -Dinfinitemap.dist}) into {@code dir}. */
    RuntimeProcess(Path dir) throws IOException {
        this(Path.of(System.getProperty("infinitemap.dist", "target/infinitemap")), dir);
    }

    /** Copies the runtime folder {@code from} (one that may have run, as {@code cp -a} would) into {@code dir}. */
    static RuntimeProcess copyOf(Path from, Path dir) throws IOException {
        return new RuntimeProcess(from, dir);
    }

    private RuntimeProcess(Path dist, Path dir) throws IOException {
        if (!Files.isRegularFile(dist.resolve("bin/infinitemap"))) {
            throw new IllegalStateException("no assembled runtime at " + dist.toAbsolutePath() + "; run mvn verify");
        }
        this.home = dir.resolve("infinitemap");
        copyTree(dist, home);
        this.port = freePort();
        environment.put("INFINITEMAP_HTTP_PORT", String.valueOf(port));
    }

    RuntimeProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    RuntimeProcess unset(String name) {
        environment.remove(name);
        return this;
    }

    /** Starts the runtime from another working directory and waits for its ready line. */
    RuntimeProcess start() throws IOException, InterruptedException {
        launch();
        awaitCondition("the ready line on standard output", START_TIMEOUT,
                () -> readyLine() != null || !process.isAlive());
        if (readyLine() == null) {
            throw new IllegalStateException("runtime exited with " + process.exitValue() + " before it was ready:\n" + log());
        }
        return this;
    }

    /** Starts the runtime process and returns at once. */
    void launch() throws IOException {
        launch(List.of());
    }

    /** Starts {@code bin/infinitemap} with these arguments and returns at once. */
    Process launch(List<String> arguments) throws IOException {
        starts++;
        stdout = home.getParent().resolve("stdout-" + starts + ".txt");
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/infinitemap").toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.getParent().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(stdout.toFile())
                .redirectError(home.getParent().resolve("stderr-" + starts + ".txt").toFile());
        builder.environment().remove("INFINITEMAP_ADMIN_PASSWORD");
        builder.environment().putAll(environment);
        process = builder.start();
        return process;
    }

    String stderr() {
        try {
            return Files.readString(home.getParent().resolve("stderr-" + starts + ".txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String stdout() {
        try {
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String readyLine() {
        return stdout().lines().filter(l -> l.startsWith("InfiniteMap Runtime ready in ")).findFirst().orElse(null);
    }

    String log() {
        try {
            Path file = home.resolve("log/infinitemap.log");
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** The runtime's threads and where each is, from the JDK's jcmd: for a test's failure message. */
    String threadDump() throws IOException, InterruptedException {
        Process dump = new ProcessBuilder(jcmd(), Long.toString(pid()), "Thread.print").redirectErrorStream(true).start();
        String out = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        dump.waitFor();
        return out;
    }

    private static String jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }

    /** The runtime's heap in use after a full collection, from the JDK's jcmd. */
    long heapAfterGc() throws IOException, InterruptedException {
        String jcmd = jcmd();
        new ProcessBuilder(jcmd, Long.toString(pid()), "GC.run").redirectErrorStream(true).start().waitFor();
        Process info = new ProcessBuilder(jcmd, Long.toString(pid()), "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        info.waitFor();
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info said: " + out);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    /** The runtime's thread count, from /proc. */
    long threads() {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid() + "/status")).stream().filter(l -> l.startsWith("Threads:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends SIGTERM and waits for the process to end. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("runtime did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** Kills the process with SIGKILL, as a crash or an OOM killer would, and waits for it to end. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("runtime did not die within 30 s of SIGKILL");
        }
    }

    /** Sends a signal with {@code kill}, as a user or a scheduler would: {@code STOP} pauses the process, {@code CONT} resumes it. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid() + " failed: " + new String(kill.getInputStream().readAllBytes()));
        }
    }

    String adminPassword() throws IOException {
        String given = environment.get("INFINITEMAP_ADMIN_PASSWORD");
        return given != null ? given : Files.readString(home.resolve("conf/admin.password")).strip();
    }

    /** The body of an anonymous GET; a failed request fails the test. */
    String body(String path) {
        return bodyOf(() -> get(path), "GET " + path);
    }

    /** The body of a GET as the console's admin; a failed request fails the test. */
    String adminBody(String path) {
        return bodyOf(() -> getAsAdmin(path), "GET " + path + " as admin");
    }

    private interface Request {
        HttpResponse<String> send() throws IOException, InterruptedException;
    }

    private static String bodyOf(Request request, String what) {
        try {
            return request.send().body();
        } catch (IOException e) {
            throw new AssertionError(what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during " + what, e);
        }
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the runtime did not end within " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, null, null);
    }

    HttpResponse<String> getAsAdmin(String path) throws IOException, InterruptedException {
        return get(path, "admin", adminPassword());
    }

    HttpResponse<String> get(String path, String user, String password) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (user != null) {
            String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a form as admin, from a page of {@code origin} (an Origin header) when it is not null. */
    HttpResponse<String> postAsAdmin(String path, String form, String origin) throws IOException, InterruptedException {
        String token = Base64.getEncoder().encodeToString(("admin:" + adminPassword()).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + token).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Writes a file into deploy/ the way a careful user does: complete, then renamed into place. */
    Path deploy(String name, byte[] content) throws IOException {
        Path staging = home.resolveSibling(name + ".part"); // beside the runtime folder: the same file system, not in it
        Files.write(staging, content);
        return Files.move(staging, home.resolve("deploy").resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(25);
        }
    }

    static int freePort() throws IOException {
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
