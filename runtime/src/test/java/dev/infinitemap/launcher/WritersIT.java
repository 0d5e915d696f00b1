package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

    private static String get(String path) {
        try {
            return runtime.get(path).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
