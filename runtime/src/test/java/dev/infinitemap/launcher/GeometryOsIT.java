package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Geometry OS clients and writers, unchanged: the legacy listener ({@code INFINITEMAP_LEGACY_PORT})
 * with the socket at {@code /} and the {@code /builder/...} paths, driven by a client that behaves
 * as the old one does ({@link OldGeometryClient}).
 */
class GeometryOsIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String REMOVED = "infinitemap-removed.png";

    @TempDir
    static Path dir;

    static RuntimeProcess runtime;
    static int legacyPort;

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        runtime = new RuntimeProcess(dir);
        legacyPort = RuntimeProcess.freePort();
        runtime.env("INFINITEMAP_LEGACY_PORT", String.valueOf(legacyPort));
        // No heartbeat of the server's own during a test: a heartbeat the client gets is an answer.
        Files.writeString(runtime.home.resolve("deploy/dev.infinitemap.web.socket.cfg"), "heartbeatSeconds=3600\nidleSeconds=3600\n");
        runtime.start();
    }

    @AfterAll
    static void stop() throws Exception {
        assertEquals(0, runtime.stop());
    }

    @Test
    void theLegacyPathsAreOnTheLegacyPortOnlyAndTheReadyLineNamesThem() throws Exception {
        assertEquals(200, status(legacyPort, "/builder/map/manifest.json"));
        assertEquals(200, status(legacyPort, "/builder/queue/" + REMOVED), "the transparent brick of removed cells");
        assertEquals(200, status(legacyPort, "/builder/processed/grass.png"), "the old client's fallback path");
        assertEquals(404, status(legacyPort, "/builder/queue/../conf/admin.password"));
        assertEquals(404, status(runtime.port, "/builder/map/manifest.json"), "the main port keeps its own paths");
        assertTrue(runtime.stdout().contains("Geometry OS clients: socket ws://127.0.0.1:" + legacyPort + "/"), runtime.stdout());
        HttpResponse<String> root = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + legacyPort + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, root.statusCode());
        assertTrue(root.body().contains("/builder/map/manifest.json") && root.body().contains("INFINITEMAP_LEGACY_WEB"), "says where things are: " + root.body());
    }

    /** Issue: removals never reached old clients, and pollers missed same-timestamp edits and uncovered tiles. */
    @Test
    void additionsEditsUncoveringAndRemovalsReachTheOldSocketClientAndTheOldPoller() throws Exception {
        try (OldGeometryClient client = new OldGeometryClient(legacyPort); OldGeometryClient poller = new OldGeometryClient(legacyPort, false)) {
            RuntimeProcess.awaitCondition("the old client connected", TIMEOUT, client::connected);
            runtime.deploy("g-low.manifest.json", layered(1, "low.png", 50, 7000, 7001));
            await(client, poller, 7000, "low.png");
            await(client, poller, 7001, "low.png");

            runtime.deploy("g-top.manifest.json", layered(2, "top.png", 100, 7000));
            await(client, poller, 7000, "top.png");
            runtime.deploy("g-top.manifest.json", layered(2, "top2.png", 100, 7000));
            await(client, poller, 7000, "top2.png"); // the same timestamp: the poller sees it only because the legacy one grew

            Files.delete(runtime.home.resolve("deploy/g-top.manifest.json"));
            await(client, poller, 7000, "low.png"); // uncovered: an older timestamp underneath

            Files.delete(runtime.home.resolve("deploy/g-low.manifest.json"));
            await(client, poller, 7000, REMOVED);
            await(client, poller, 7001, REMOVED);
            assertEquals(java.util.List.of(), client.unknown, "only message kinds the old client knows");
        }
    }

    /** Issue: a change of more than 50,000 cells reached clients as resync + snapshot, which old clients ignore. */
    @Test
    void aChangeOfSixtyThousandCellsArrivesCellByCellAsTileUpdates() throws Exception {
        int cells = 60_000;
        try (OldGeometryClient client = new OldGeometryClient(legacyPort)) {
            RuntimeProcess.awaitCondition("the old client connected", TIMEOUT, client::connected);
            runtime.deploy("g-big.manifest.json", TestManifests.row(0, cells, 9000, "big.png"));
            RuntimeProcess.awaitCondition("all " + cells + " cells on the old client", TIMEOUT, () -> count(client, 9000, "big.png") == cells);
            Files.delete(runtime.home.resolve("deploy/g-big.manifest.json"));
            RuntimeProcess.awaitCondition("all " + cells + " cells cleared on the old client", TIMEOUT, () -> count(client, 9000, REMOVED) == cells);
            assertEquals(java.util.List.of(), client.unknown, "only message kinds the old client knows");
        }
    }

    @Test
    void aHeartbeatOfTheClientIsAnswered() throws Exception {
        try (OldGeometryClient client = new OldGeometryClient(legacyPort)) {
            // Connected means its hello heartbeat was answered (the server sends none of its own in this test).
            RuntimeProcess.awaitCondition("the old client connected", TIMEOUT, client::connected);
            assertTrue(client.heartbeats.get() >= 1, "the heartbeat was answered with a heartbeat");
            client.send("not json");
            client.send("{\"type\":\"heartbeat\",\"timestamp\":2}");
            RuntimeProcess.awaitCondition("the connection stayed", TIMEOUT, client::connected);
            assertEquals(java.util.List.of(), client.unknown, "an invalid message gets no error reply the old client would not know");
        }
    }

    /** The old compositor rewrote its whole manifest in place for each tile; it is started after the runtime. */
    @Test
    void aWriterThatRewritesTheWholeManifestInPlaceForEachTileReachesTheOldClient() throws Exception {
        Path file = runtime.home.resolve("deploy/g-writer.manifest.json");
        long worst = 0;
        try (OldGeometryClient client = new OldGeometryClient(legacyPort)) {
            RuntimeProcess.awaitCondition("the old client connected", TIMEOUT, client::connected);
            StringBuilder tiles = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                tiles.append(i == 0 ? "" : ",").append("\"").append(11000 + i).append(",0\":{\"brick\":\"w.png\",\"timestamp\":")
                        .append(System.currentTimeMillis() / 1000.0).append('}');
                long written = System.nanoTime();
                // In place, as manifest_writer.rs did: truncate, then write.
                Files.writeString(file, "{" + tiles + "}", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
                int x = 11000 + i;
                RuntimeProcess.awaitCondition("tile " + i + " of the writer on the old client", TIMEOUT, () -> "w.png".equals(client.brickAt(x, 0)));
                worst = Math.max(worst, (System.nanoTime() - written) / 1_000_000);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        System.out.println("Old-style writer: the slowest of 20 tiles reached the old client " + worst + " ms after its write.");
    }

    /** The old client reconnects after a restart and goes on; its poller too. */
    @Test
    void theOldClientGoesOnAfterARestart() throws Exception {
        try (OldGeometryClient client = new OldGeometryClient(legacyPort)) {
            RuntimeProcess.awaitCondition("the old client connected", TIMEOUT, client::connected);
            assertEquals(0, runtime.stop());
            runtime.start();
            RuntimeProcess.awaitCondition("the old client connected again", TIMEOUT, () -> client.connections.get() >= 2 && client.connected());
            runtime.deploy("g-after.manifest.json", layered(1, "after.png", 1, 12000));
            RuntimeProcess.awaitCondition("an edit after the restart on the old client", TIMEOUT, () -> "after.png".equals(client.brickAt(12000, 0)));
            Files.delete(runtime.home.resolve("deploy/g-after.manifest.json"));
            RuntimeProcess.awaitCondition("its removal too", TIMEOUT, () -> REMOVED.equals(client.brickAt(12000, 0)));
        }
    }

    @Test
    void aStartWithoutTheSettingHasNoLegacyListener() throws Exception {
        assertEquals(0, runtime.stop());
        runtime.unset("INFINITEMAP_LEGACY_PORT").start();
        try {
            // Config Admin kept the listener's configuration from the last start; the runtime removes it.
            RuntimeProcess.awaitCondition("nothing listening on the legacy port", TIMEOUT, () -> {
                try {
                    status(legacyPort, "/builder/map/manifest.json");
                    return false;
                } catch (java.net.ConnectException e) {
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            assertTrue(!runtime.stdout().contains("Geometry OS clients"), runtime.stdout());
        } finally {
            assertEquals(0, runtime.stop());
            runtime.env("INFINITEMAP_LEGACY_PORT", String.valueOf(legacyPort)).start();
        }
    }

    private static void await(OldGeometryClient client, OldGeometryClient poller, int x, String brick) throws InterruptedException {
        RuntimeProcess.awaitCondition(brick + " at " + x + ",0 on the old client's socket", TIMEOUT, () -> brick.equals(client.brickAt(x, 0)));
        RuntimeProcess.awaitCondition(brick + " at " + x + ",0 on the old poller", TIMEOUT, () -> {
            try {
                poller.poll();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return brick.equals(poller.brickAt(x, 0));
        });
    }

    private static long count(OldGeometryClient client, int y, String brick) {
        String suffix = "," + y;
        return client.cells.entrySet().stream().filter(e -> e.getKey().endsWith(suffix) && e.getValue().brick().equals(brick)).count();
    }

    private static byte[] layered(int layer, String brick, double timestamp, int... xs) {
        StringBuilder tiles = new StringBuilder();
        for (int x : xs) {
            tiles.append(tiles.length() == 0 ? "" : ",").append('"').append(x).append(",0\":{\"brick\":\"").append(brick)
                    .append("\",\"timestamp\":").append(timestamp).append('}');
        }
        return ("{\"layer\":" + layer + ",\"tiles\":{" + tiles + "}}").getBytes(StandardCharsets.UTF_8);
    }

    private static int status(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
