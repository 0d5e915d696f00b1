package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers that are not atomic, as the old Geometry OS compositor is: a manifest rewritten in
 * place or replaced again and again is never applied in a state that was not on disk, and a
 * new one reaches the map while its writer still runs.
 */
class WritersIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static RuntimeProcess runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = new RuntimeProcess(dir).start();
    }

    @AfterAll
    static void stop() throws Exception {
        assertEquals(0, runtime.stop());
    }

    /** Issue: in place it was applied half-written; a new file rewritten at 200/s did not reach the map while written. */
    @ParameterizedTest(name = "{0} at {1} rewrites a second")
    @CsvSource({ "IN_PLACE, 200, 9100", "IN_PLACE, 1000, 9101", "RENAME, 200, 9102", "RENAME, 1000, 9103" })
    void aNewManifestRewrittenContinuouslyIsOnlyEverShownWholeAndReachesTheMapWhileItIsWritten(ContinuousWriter.Style style,
            int perSecond, int y) throws Exception {
        Path file = runtime.home.resolve("deploy/writer-" + y + ".manifest.json");
        RowView view = new RowView(y);
        WebSocket socket = view.connect(runtime.port);
        int versions = perSecond * 3;
        ContinuousWriter writer = new ContinuousWriter(file, style, y, versions, perSecond);
        Thread writing = new Thread(writer, "writer-" + y);
        writing.start();
        try {
            RuntimeProcess.awaitCondition("the manifest on the map while it is written", TIMEOUT, () -> !view.shownNanos.isEmpty() || !writing.isAlive());
            assertTrue(writing.isAlive(), "the manifest reached the map only after its writer stopped");
            writing.join(TIMEOUT.toMillis());
            RuntimeProcess.awaitCondition("the last version on the map", TIMEOUT, () -> view.newest == versions);
            assertNull(view.neverOnDisk, "a state that was never on disk was applied");
            assertTrue(view.shownNanos.size() > 1, "more than one version was shown while it was written: " + view.shownNanos.size());
        } finally {
            writing.join(TIMEOUT.toMillis());
            socket.abort();
            Files.deleteIfExists(file);
        }
        RuntimeProcess.awaitCondition("the manifest gone", TIMEOUT,
                () -> !get("/infinitemap/api/tiles?x0=0&y0=" + y + "&x1=0&y1=" + y).contains("\"0," + y + "\""));
    }

    /** Issue: a known manifest rewritten in place was applied in states never on disk (33 tiles, then 17). */
    @ParameterizedTest(name = "in place at {0} rewrites a second")
    @CsvSource({ "50, 9110", "1000, 9111" })
    void aKnownManifestRewrittenInPlaceIsNeverAppliedHalfWritten(int perSecond, int y) throws Exception {
        Path file = runtime.home.resolve("deploy/inplace-" + y + ".manifest.json");
        RowView view = new RowView(y);
        WebSocket socket = view.connect(runtime.port);
        try {
            runtime.deploy(file.getFileName().toString(), ContinuousWriter.version(y, 0));
            RuntimeProcess.awaitCondition("the first version on the map", TIMEOUT, () -> view.shownNanos.containsKey(0));
            int versions = perSecond * 2;
            ContinuousWriter writer = new ContinuousWriter(file, ContinuousWriter.Style.IN_PLACE, y, versions, perSecond);
            writer.run();
            RuntimeProcess.awaitCondition("the last version on the map", TIMEOUT, () -> view.newest == versions);
            assertNull(view.neverOnDisk, "a state that was never on disk was applied");
        } finally {
            socket.abort();
            Files.deleteIfExists(file);
        }
    }

    /**
     * Issue: a .cfg rewritten in place at 20 Hz was applied half-written (10 of 81 states were
     * never on disk). The component sees only versions the writer wrote: not the empty file
     * between truncate and write, not a read FileInstall made while the file changed (the
     * configuration guard's plugin gives the component the last clean state instead), no
     * broken number; and the last version is what stays.
     */
    @Test
    void aConfigurationRewrittenInPlaceReachesTheComponentOnlyInStatesThatWereOnDiskAndEndsAsTheLastVersion() throws Exception {
        Path cfg = runtime.home.resolve("deploy/dev.infinitemap.compositor.region.cfg");
        String original = Files.readString(cfg);
        // Each version draws width x height cells; a cut-off file (a short width, a missing
        // height, no settings) draws a count no version has.
        Set<Integer> valid = new HashSet<>();
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            int width = 10 + i % 5;
            int height = 5 + i % 3;
            valid.add(width * height);
            versions.add("originX = 5000\noriginY = 5000\nwidth = " + width + "\nheight = " + height + "\nbrick = region-stone.png\n");
        }
        List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<String, Boolean> cells = new ConcurrentHashMap<>();
        WebSocket socket = regionCells(cells, seen);
        try {
            runtime.deploy(cfg.getFileName().toString(), versions.get(0).getBytes(StandardCharsets.UTF_8));
            RuntimeProcess.awaitCondition("the first version drawn", TIMEOUT, () -> seen.contains(50));
            long next = System.nanoTime();
            for (String version : versions) {
                Files.writeString(cfg, version, StandardCharsets.UTF_8); // in place: truncate, then write
                next += 50_000_000L; // 20 Hz, as in the issue; paces the writer, synchronises nothing
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
            }
            int last = (10 + 79 % 5) * (5 + 79 % 3);
            RuntimeProcess.awaitCondition("the last version drawn", TIMEOUT, () -> cells.size() == last);
            List<Integer> neverOnDisk = seen.stream().filter(count -> !valid.contains(count)).toList();
            System.out.println("In-place .cfg at 20 Hz: " + seen.size() + " states drawn: " + seen);
            assertEquals(List.of(), neverOnDisk, "states no version has (cells drawn) among " + seen);
            assertFalse(runtime.log().contains("NumberFormatException"), "no half-written number was parsed");
        } finally {
            socket.abort();
            runtime.deploy(cfg.getFileName().toString(), original.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Follows the cells at x, y 5000 to 5099 through the batch feed, and each count after a change. */
    private static WebSocket regionCells(Map<String, Boolean> cells, List<Integer> counts) throws Exception {
        Pattern tile = Pattern.compile("\"(50\\d\\d),(50\\d\\d)\":\\{");
        Pattern removed = Pattern.compile("\"removed\":\\[([^\\]]*)]");
        Pattern key = Pattern.compile("\"(50\\d\\d),(50\\d\\d)\"");
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + runtime.port + "/infinitemap/ws?mode=batch"), new ViewerBenchmark.Listener(message -> {
                    boolean touched = false;
                    Matcher removals = removed.matcher(message);
                    if (removals.find()) {
                        Matcher k = key.matcher(removals.group(1));
                        while (k.find()) {
                            touched |= cells.remove(k.group(1) + "," + k.group(2)) != null;
                        }
                    }
                    Matcher t = tile.matcher(message);
                    while (t.find()) {
                        cells.put(t.group(1) + "," + t.group(2), true);
                        touched = true;
                    }
                    if (touched) {
                        counts.add(cells.size()); // 0: the region was drawn elsewhere, as no version says
                    }
                })).get(10, TimeUnit.SECONDS);
    }

    private static String get(String path) {
        try {
            return runtime.get(path).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
