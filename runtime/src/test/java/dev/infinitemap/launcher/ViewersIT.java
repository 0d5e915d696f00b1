package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API and the WebSocket feed of the assembled runtime, with the JDK's own clients. */
class ViewersIT {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static RuntimeProcess runtime;

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        runtime = new RuntimeProcess(dir);
        // Short heartbeat and idle times, so the idle test takes seconds, not half a minute, and a
        // small client queue, so falling behind needs only a thousand messages.
        Files.writeString(runtime.home.resolve("deploy/dev.infinitemap.web.socket.cfg"),
                "heartbeatSeconds=1\nidleSeconds=3\nclientQueueLimit=1000\n");
        runtime.start();
    }

    @AfterAll
    static void stop() throws Exception {
        assertEquals(0, runtime.stop());
    }

    @Test
    void manifestJsonCarriesTheRevisionAndAnswers304WhileNothingChanged() throws Exception {
        runtime.deploy("etag.manifest.json", "{ \"5000,5000\": {\"brick\": \"e.png\", \"timestamp\": 1732400000.25} }".getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the tile in manifest.json", TIMEOUT, () -> body("/infinitemap/manifest.json").contains("\"5000,5000\""));
        HttpResponse<String> first = get("/infinitemap/manifest.json", null);
        assertEquals(200, first.statusCode());
        assertTrue(first.body().contains("\"5000,5000\":{\"brick\":\"e.png\",\"timestamp\":1732400000.25}"), first.body());
        String revision = first.headers().firstValue("X-InfiniteMap-Revision").orElseThrow();
        String etag = first.headers().firstValue("ETag").orElseThrow();

        // The clock redraws every second; a 304 holds only while the revision stays.
        HttpResponse<String> again = get("/infinitemap/manifest.json", etag);
        if (again.headers().firstValue("X-InfiniteMap-Revision").orElseThrow().equals(revision)) {
            assertEquals(304, again.statusCode());
            assertEquals("", again.body());
        } else {
            assertEquals(200, again.statusCode());
        }
        runtime.deploy("etag.manifest.json", "{ \"5000,5000\": {\"brick\": \"f.png\", \"timestamp\": 2} }".getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("a new revision", TIMEOUT, () -> {
            HttpResponse<String> changed = get("/infinitemap/manifest.json", etag);
            return changed.statusCode() == 200 && changed.body().contains("\"5000,5000\":{\"brick\":\"f.png\"");
        });
        Files.delete(runtime.home.resolve("deploy/etag.manifest.json"));
    }

    @Test
    void manifestJsonOfABigMapIsWholeAndWellFormed() throws Exception {
        int count = 20_000; // about 1 MB of JSON, written in many chunks
        runtime.deploy("big.manifest.json", TestManifests.row(0, count, 9000, "big.png"));
        RuntimeProcess.awaitCondition("the last tile of the big manifest", TIMEOUT,
                () -> body("/infinitemap/api/tiles?x0=" + (count - 1) + "&y0=9000&x1=" + (count - 1) + "&y1=9000").contains("big.png"));
        String manifest = body("/infinitemap/manifest.json");
        // Entry after entry from the opening brace, each right after the last: nothing lost or torn between chunks.
        Matcher entry = Pattern.compile("\\G[{,]\"(-?\\d+),(-?\\d+)\":\\{\"brick\":\"([^\"]+)\",\"timestamp\":[-0-9.E]+}").matcher(manifest);
        Set<Integer> row = new HashSet<>();
        int end = 0;
        while (entry.find()) {
            end = entry.end();
            if (entry.group(2).equals("9000")) {
                assertEquals("big.png", entry.group(3));
                assertTrue(row.add(Integer.parseInt(entry.group(1))), "tile " + entry.group(1) + " once");
            }
        }
        assertEquals(manifest.length() - 1, end, "the entries reach the closing brace");
        assertEquals('}', manifest.charAt(end));
        assertEquals(count, row.size());
        Files.delete(runtime.home.resolve("deploy/big.manifest.json"));
        RuntimeProcess.awaitCondition("the big manifest gone", TIMEOUT, () -> !body("/infinitemap/manifest.json").contains("big.png"));
    }

    @Test
    void tilesAnswersARectangleWithCompositorAndLayer() throws Exception {
        runtime.deploy("rect.manifest.json", ("{ \"compositor\": \"rect\", \"layer\": 7, \"tiles\": {"
                + " \"-2147483648,2147483647\": {\"brick\": \"corner.png\", \"timestamp\": 3}, \"6000,6000\": {\"brick\": \"r.png\", \"timestamp\": 4} } }")
                .getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the rectangle's tile", TIMEOUT,
                () -> body("/infinitemap/api/tiles?x0=5999&y0=5999&x1=6001&y1=6001").contains("\"6000,6000\""));
        String body = body("/infinitemap/api/tiles?x0=5999&y0=5999&x1=6001&y1=6001");
        assertTrue(body.matches("\\{\"revision\":\\d+,\"tiles\":\\{\"6000,6000\":\\{\"brick\":\"r.png\",\"timestamp\":4,\"compositor\":\"rect\",\"layer\":7}}}"), body);
        String corner = body("/infinitemap/api/tiles?x0=-2147483648&y0=2147483647&x1=-2147483648&y1=2147483647");
        assertTrue(corner.contains("\"-2147483648,2147483647\":{\"brick\":\"corner.png\""), corner);
        Files.delete(runtime.home.resolve("deploy/rect.manifest.json"));
    }

    @Test
    void boundsHoldEveryTileAndShrinkWhenTheOutermostGo() throws Exception {
        runtime.deploy("bounds.manifest.json", ("{ \"-2147480000,-2147480000\": {\"brick\": \"b.png\", \"timestamp\": 1},"
                + " \"2147480000,2147480000\": {\"brick\": \"b.png\", \"timestamp\": 1} }").getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the bounds out to the two far tiles", TIMEOUT, () -> body("/infinitemap/api/bounds")
                .matches("\\{\"revision\":\\d+,\"bounds\":\\{\"x0\":-2147480000,\"y0\":-2147480000,\"x1\":2147480000,\"y1\":2147480000}}"));
        Files.delete(runtime.home.resolve("deploy/bounds.manifest.json"));
        RuntimeProcess.awaitCondition("the bounds back around the samples", TIMEOUT, () -> {
            String bounds = body("/infinitemap/api/bounds");
            return bounds.matches("\\{\"revision\":\\d+,\"bounds\":\\{\"x0\":-?\\d+,\"y0\":-?\\d+,\"x1\":-?\\d+,\"y1\":-?\\d+}}")
                    && !bounds.contains("2147480000");
        });
    }

    @Test
    void aCellsStackAndEachCompositorsLegendComeFromTheMap() throws Exception {
        runtime.deploy("stack-low.manifest.json", ("{ \"7300,7300\": {\"brick\": \"low.png\", \"timestamp\": 1},"
                + " \"7310,7290\": {\"brick\": \"low.png\", \"timestamp\": 1}, \"7299,7301\": {\"brick\": \"other.png\", \"timestamp\": 1} }")
                .getBytes(StandardCharsets.UTF_8));
        runtime.deploy("stack-high.manifest.json", "{ \"layer\": 3, \"tiles\": { \"7300,7300\": {\"brick\": \"high.png\", \"timestamp\": 2} } }"
                .getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("both tiles in the cell", TIMEOUT, () -> body("/infinitemap/api/cell?x=7300&y=7300").matches(
                "\\{\"revision\":\\d+,\"x\":7300,\"y\":7300,\"stack\":\\[\\{\"brick\":\"high.png\",\"timestamp\":2,\"compositor\":\"stack-high\",\"layer\":3},"
                        + "\\{\"brick\":\"low.png\",\"timestamp\":1,\"compositor\":\"stack-low\",\"layer\":0}]}"));
        assertTrue(body("/infinitemap/api/cell?x=7301&y=7300").matches("\\{\"revision\":\\d+,\"x\":7301,\"y\":7300,\"stack\":\\[]}"), "an empty cell");
        String layers = body("/infinitemap/api/layers");
        assertTrue(layers.contains("{\"compositor\":\"stack-low\",\"layer\":0,\"tiles\":3,\"bounds\":{\"x0\":7299,\"y0\":7290,\"x1\":7310,\"y1\":7301},"
                + "\"bricks\":[{\"brick\":\"low.png\",\"tiles\":2},{\"brick\":\"other.png\",\"tiles\":1}]}"), "its covered tile counts too: " + layers);
        assertTrue(layers.contains("{\"compositor\":\"stack-high\",\"layer\":3,\"tiles\":1,\"bounds\":{\"x0\":7300,\"y0\":7300,\"x1\":7300,\"y1\":7300},"
                + "\"bricks\":[{\"brick\":\"high.png\",\"tiles\":1}]}"), layers);

        Files.delete(runtime.home.resolve("deploy/stack-high.manifest.json"));
        RuntimeProcess.awaitCondition("the low tile alone", TIMEOUT, () -> body("/infinitemap/api/cell?x=7300&y=7300").matches(
                "\\{\"revision\":\\d+,\"x\":7300,\"y\":7300,\"stack\":\\[\\{\"brick\":\"low.png\",\"timestamp\":1,\"compositor\":\"stack-low\",\"layer\":0}]}"));
        for (String query : List.of("x=1", "y=1", "x=a&y=1", "x=99999999999&y=0")) {
            HttpResponse<String> refused = get("/infinitemap/api/cell?" + query, null);
            assertEquals(400, refused.statusCode(), query);
            assertTrue(refused.body().matches("\\{\"error\":\"[^\"]+\"}"), refused.body());
        }
        Files.delete(runtime.home.resolve("deploy/stack-low.manifest.json"));
    }

    @Test
    void deltasListsTheLatestChangesNewestFirstWithWhoseDeltaEachWas() throws Exception {
        runtime.deploy("low.manifest.json", "{ \"7200,7200\": {\"brick\": \"low.png\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the low tile", TIMEOUT, () -> body("/infinitemap/api/tiles?x0=7200&y0=7200&x1=7200&y1=7200").contains("low.png"));
        runtime.deploy("high.manifest.json", ("{ \"layer\": 1, \"tiles\": { \"7200,7200\": {\"brick\": \"high.png\", \"timestamp\": 1},"
                + " \"7201,7200\": {\"brick\": \"high.png\", \"timestamp\": 1} } }").getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the high tiles", TIMEOUT, () -> body("/infinitemap/api/tiles?x0=7200&y0=7200&x1=7200&y1=7200").contains("high.png"));
        Files.delete(runtime.home.resolve("deploy/high.manifest.json"));
        RuntimeProcess.awaitCondition("the low tile uncovered", TIMEOUT, () -> body("/infinitemap/api/tiles?x0=7200&y0=7200&x1=7200&y1=7200").contains("low.png"));

        String deltas = body("/infinitemap/api/deltas?limit=1000");
        assertTrue(deltas.matches("\\{\"revision\":\\d+,\"deltas\":\\[.*]}"), deltas);
        String removal = "\\{\"revision\":(\\d+),\"compositor\":\"high\",\"put\":1,\"removed\":1,\"uncovered\":\\[\"low\"]}";
        String addition = "\\{\"revision\":(\\d+),\"compositor\":\"high\",\"put\":2,\"removed\":0,\"uncovered\":\\[]}";
        Matcher both = Pattern.compile(".*" + removal + ".*" + addition + ".*").matcher(deltas);
        assertTrue(both.matches(), "the removal (uncovering low's tile), then further on the addition: " + deltas);
        assertTrue(Long.parseLong(both.group(1)) > Long.parseLong(both.group(2)), "newest first");
        assertTrue(body("/infinitemap/api/deltas?limit=1").matches("\\{\"revision\":\\d+,\"deltas\":\\[\\{[^\\[]*\\[[^]]*]}]}"), "one delta");

        for (String limit : List.of("0", "1001", "abc", "99999999999", "-5", "")) {
            HttpResponse<String> refused = get("/infinitemap/api/deltas?limit=" + limit, null);
            assertEquals(400, refused.statusCode(), limit);
            assertTrue(refused.body().matches("\\{\"error\":\"limit must be [^\"]+\"}"), refused.body());
        }
        Files.delete(runtime.home.resolve("deploy/low.manifest.json"));
    }

    @Test
    void tilesRefusesBadRectanglesWith400AndAJsonError() throws Exception {
        for (String query : List.of("x0=0&y0=0&x1=1", "x0=a&y0=0&x1=1&y1=1", "x0=0.5&y0=0&x1=1&y1=1", "x0=2147483648&y0=0&x1=1&y1=1",
                "x0=2&y0=0&x1=1&y1=1", "x0=0&y0=2&x1=1&y1=1", "x0=0&y0=0&x1=1000&y1=1000", "x0=-2147483648&y0=0&x1=2147483647&y1=0")) {
            HttpResponse<String> response = get("/infinitemap/api/tiles?" + query, null);
            assertEquals(400, response.statusCode(), query);
            assertTrue(response.body().matches("\\{\"error\":\"[^\"]+\"}"), query + " -> " + response.body());
        }
        assertEquals(200, get("/infinitemap/api/tiles?x0=0&y0=0&x1=999&y1=999", null).statusCode(), "exactly 1,000,000 cells is allowed");
    }

    @Test
    void bricksComeFromTheBricksFolderAndCompositorBundlesAndNothingElse() throws Exception {
        HttpResponse<String> grass = get("/infinitemap/bricks/grass.png", null);
        assertEquals(200, grass.statusCode());
        assertEquals("image/png", grass.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(grass.headers().firstValue("Cache-Control").orElseThrow().contains("max-age"));
        assertEquals(200, get("/infinitemap/bricks/spiral-gold.png", null).statusCode(), "from the spiral compositor bundle");
        assertEquals(404, get("/infinitemap/bricks/nothing-here.png", null).statusCode());

        Files.writeString(runtime.home.resolve("conf/secret.png"), "not for you");
        for (String path : List.of("..%2fconf%2fsecret.png", "%2e%2e%2fconf%2fsecret.png", "..%5cconf%5csecret.png", "%252e%252e%252fconf%252fsecret.png",
                "..%2f..%2fconf%2fadmin.password", "%2e%2e/%2e%2e/conf/secret.png", "..;/conf/secret.png", "%c0%ae%c0%ae%2fconf%2fsecret.png",
                "grass.png%00.png", "")) {
            HttpResponse<String> response = get("/infinitemap/bricks/" + path, null);
            assertNotEquals(200, response.statusCode(), path);
            assertFalse(response.body().contains("not for you"), path);
        }
    }

    @Test
    void wrongMethodsAndHugeRequestsAreRefusedAndTheRuntimeStaysUp() throws Exception {
        for (String path : List.of("/infinitemap/api/status", "/infinitemap/api/tiles?x0=0&y0=0&x1=1&y1=1", "/infinitemap/api/compositors",
                "/infinitemap/api/deltas",
                "/infinitemap/manifest.json", "/infinitemap/bricks/grass.png", "/infinitemap/")) {
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port + path))
                        .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(405, response.statusCode(), method + " " + path);
            }
        }
        String huge = "x0=" + "9".repeat(100_000) + "&y0=0&x1=1&y1=1";
        int status = get("/infinitemap/api/tiles?" + huge, null).statusCode();
        assertTrue(status == 400 || status == 414 || status == 431, "a 100 kB query is refused, got " + status);
        int manyParameters = get("/infinitemap/api/tiles?" + "a=1&".repeat(5_000) + "x0=0&y0=0&x1=1&y1=1", null).statusCode();
        assertTrue(manyParameters == 200 || manyParameters == 400 || manyParameters == 414, "got " + manyParameters);
        assertTrue(get("/infinitemap/api/status", null).body().contains("\"ready\":true"), "still up");
    }

    @Test
    void theViewerPageIsServedWithItsScript() throws Exception {
        HttpResponse<String> page = get("/infinitemap/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(page.body().contains("<canvas id=\"map\""));
        assertEquals(200, get("/infinitemap/viewer.js", null).statusCode());
        assertEquals(404, get("/infinitemap/nothing.js", null).statusCode());
    }

    @Test
    void aWebSocketClientGetsOneMessagePerChangedCell() throws Exception {
        try (WsClient client = new WsClient(runtime.port, "")) {
            runtime.deploy("ws.manifest.json", "{ \"7000,-7\": {\"brick\": \"w.png\", \"timestamp\": 1732400000.25}, \"7001,-7\": {\"brick\": \"w.png\", \"timestamp\": 5} }"
                    .getBytes(StandardCharsets.UTF_8));
            // The cells of one delta come in no particular order.
            List<String> cells = List.of(client.next(m -> m.contains("\"x\":700"), TIMEOUT), client.next(m -> m.contains("\"x\":700"), TIMEOUT));
            String update = cells.stream().filter(m -> m.contains("\"x\":7000")).findFirst().orElseThrow();
            String other = cells.stream().filter(m -> m.contains("\"x\":7001")).findFirst().orElseThrow();
            assertTrue(update.matches("\\{\"type\":\"tile_update\",\"x\":7000,\"y\":-7,\"brick\":\"w.png\",\"timestamp\":1732400000.25,\"revision\":\\d+}"), update);
            assertEquals(revision(update), revision(other), "all cells of one delta share its revision");

            runtime.deploy("ws.manifest.json", "{ \"7001,-7\": {\"brick\": \"w.png\", \"timestamp\": 5} }".getBytes(StandardCharsets.UTF_8));
            String remove = client.next(m -> m.contains("\"x\":7000"), TIMEOUT);
            assertTrue(remove.matches("\\{\"type\":\"tile_remove\",\"x\":7000,\"y\":-7,\"revision\":\\d+}"), remove);
            assertTrue(revision(remove) > revision(update));
        }
        Files.delete(runtime.home.resolve("deploy/ws.manifest.json"));
    }

    @Test
    void aBatchClientThatReconnectsWithSinceGetsEveryChangeItMissedInOrder() throws Exception {
        long seen;
        try (WsClient client = new WsClient(runtime.port, "?mode=batch")) {
            runtime.deploy("since.manifest.json", "{ \"8000,0\": {\"brick\": \"s.png\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
            String batch = client.next(m -> m.contains("\"8000,0\""), TIMEOUT);
            assertTrue(batch.matches("\\{\"type\":\"manifest_update\",\"revision\":\\d+,\"tiles\":\\{\"8000,0\":\\{\"brick\":\"s.png\",\"timestamp\":1}},\"removed\":\\[]}"), batch);
            seen = revision(batch);
        }
        // Disconnected: two edits happen meanwhile.
        runtime.deploy("since.manifest.json", "{ \"8001,0\": {\"brick\": \"s.png\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the first missed edit", TIMEOUT, () -> body("/infinitemap/api/tiles?x0=8000&y0=0&x1=8002&y1=0").contains("8001,0"));
        runtime.deploy("since.manifest.json", "{ \"8002,0\": {\"brick\": \"s.png\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the second missed edit", TIMEOUT, () -> body("/infinitemap/api/tiles?x0=8000&y0=0&x1=8002&y1=0").contains("8002,0"));

        try (WsClient client = new WsClient(runtime.port, "?mode=batch&since=" + seen)) {
            String first = client.next(m -> m.contains("8001,0"), TIMEOUT);
            assertTrue(first.contains("\"removed\":[\"8000,0\"]"), first);
            String second = client.next(m -> m.contains("8002,0"), TIMEOUT);
            assertTrue(second.contains("\"removed\":[\"8001,0\"]"), second);
            assertTrue(revision(first) > seen && revision(second) > revision(first));
        }
        Files.delete(runtime.home.resolve("deploy/since.manifest.json"));
    }

    /** Issue: a map configuration dropped into deploy/ used to empty the map and close every client. */
    @Test
    void aConfigurationChangeKeepsTheMapAndEveryConnectedClient() throws Exception {
        Path socketCfg = runtime.home.resolve("deploy/dev.infinitemap.web.socket.cfg");
        String socketSettings = Files.readString(socketCfg);
        runtime.deploy("keep.manifest.json", "{ \"9500,0\": {\"brick\": \"k.png\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
        // The map and the compositors' list are updated one after the other: wait for both.
        RuntimeProcess.awaitCondition("the manifest on the map and in the list", TIMEOUT,
                () -> body("/infinitemap/api/tiles?x0=9500&y0=0&x1=9500&y1=0").contains("9500,0") && tileCountsExceptClock().contains("keep=1 "));
        String compositorsBefore = tileCountsExceptClock();
        try (WsClient client = new WsClient(runtime.port, "?mode=batch")) {
            // In file-name order, as FileInstall applies them and Config Admin delivers them.
            runtime.deploy("dev.infinitemap.map.cfg", "changeLogSize=20000\n".getBytes(StandardCharsets.UTF_8));
            runtime.deploy("dev.infinitemap.web.socket.cfg", (socketSettings + "allowedOrigins=http://allowed.example\n").getBytes(StandardCharsets.UTF_8));
            RuntimeProcess.awaitCondition("the new socket settings in force", TIMEOUT, () -> originAllowed("http://allowed.example"));
            client.send("{\"type\":\"heartbeat\",\"timestamp\":1}");

            runtime.deploy("keep.manifest.json", "{ \"9501,0\": {\"brick\": \"k.png\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
            String after = client.next(m -> m.contains("9501,0"), TIMEOUT);
            assertTrue(after.contains("\"removed\":[\"9500,0\"]"), "the map still had the tile the edit replaced: " + after);
            assertFalse(client.closed.isDone(), "the client stayed connected");
            assertEquals(compositorsBefore, tileCountsExceptClock(), "every compositor kept its tiles");
        } finally {
            Files.delete(runtime.home.resolve("deploy/dev.infinitemap.map.cfg"));
            runtime.deploy("dev.infinitemap.web.socket.cfg", socketSettings.getBytes(StandardCharsets.UTF_8));
            Files.delete(runtime.home.resolve("deploy/keep.manifest.json"));
        }
        RuntimeProcess.awaitCondition("the old socket settings back", TIMEOUT, () -> !originAllowed("http://allowed.example"));
    }

    /** Issue 10: a comma list allowed no origin, refusals were silent, and pages of other sites could not read the map. */
    @Test
    void allowedOriginsAsACommaListGovernTheSocketAndCorsAndEachRefusedOriginIsLoggedOnce() throws Exception {
        Path socketCfg = runtime.home.resolve("deploy/dev.infinitemap.web.socket.cfg");
        String socketSettings = Files.readString(socketCfg);
        try {
            runtime.deploy("dev.infinitemap.web.socket.cfg",
                    (socketSettings + "allowedOrigins = http://a.example, http://b.example:8000\n").getBytes(StandardCharsets.UTF_8));
            RuntimeProcess.awaitCondition("both origins of the list allowed", TIMEOUT,
                    () -> originAllowed("http://a.example") && originAllowed("http://b.example:8000"));

            HttpResponse<String> manifest = getFrom("/infinitemap/manifest.json", "http://b.example:8000");
            assertEquals(200, manifest.statusCode());
            assertEquals("http://b.example:8000", manifest.headers().firstValue("Access-Control-Allow-Origin").orElse(null), manifest.headers().toString());
            assertEquals("http://a.example", getFrom("/infinitemap/bricks/grass.png", "http://a.example").headers()
                    .firstValue("Access-Control-Allow-Origin").orElse(null), "bricks are readable by an allowed page");
            assertEquals("http://a.example", getFrom("/infinitemap/api/status", "http://a.example").headers()
                    .firstValue("Access-Control-Allow-Origin").orElse(null), "so is the API");

            HttpResponse<String> refused = getFrom("/infinitemap/manifest.json", "http://refused.example");
            assertEquals(200, refused.statusCode(), "the answer is sent; the browser keeps it from the page");
            assertTrue(refused.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), refused.headers().toString());
            assertFalse(originAllowed("http://refused.example"));
            assertFalse(originAllowed("http://refused.example"));
            assertFalse(originAllowed("http://other.example"));
            // The log is written in order: once the second origin is in it, the first's repeats would be too.
            RuntimeProcess.awaitCondition("the second refused origin logged", TIMEOUT, () -> runtime.log().contains("Refused a page from http://other.example"));
            String log = runtime.log();
            assertEquals(1, log.split("Refused a page from http://refused.example", -1).length - 1, log);
            assertTrue(log.contains("allowedOrigins in deploy/dev.infinitemap.web.socket.cfg"), "the line names the setting: " + log);
        } finally {
            runtime.deploy("dev.infinitemap.web.socket.cfg", socketSettings.getBytes(StandardCharsets.UTF_8));
        }
        RuntimeProcess.awaitCondition("the old socket settings back", TIMEOUT, () -> !originAllowed("http://a.example"));
    }

    private static HttpResponse<String> getFrom(String path, String origin) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port + path)).header("Origin", origin)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // The clock's tile count changes with its digits; every other compositor's is fixed.
    private static String tileCountsExceptClock() {
        String compositors = body("/infinitemap/api/compositors");
        StringBuilder counts = new StringBuilder();
        Matcher m = Pattern.compile("\\{\"name\":\"([^\"]+)\".*?\"tiles\":(\\d+)").matcher(compositors);
        while (m.find()) {
            if (!m.group(1).equals("clock")) {
                counts.append(m.group(1)).append('=').append(m.group(2)).append(' ');
            }
        }
        assertTrue(counts.length() > 0, compositors);
        return counts.toString();
    }

    private static boolean originAllowed(String origin) {
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", origin)
                    .buildAsync(URI.create("ws://127.0.0.1:" + runtime.port + "/infinitemap/ws"), new WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS).abort();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aSinceThatIsNotARevisionIsRefused() throws Exception {
        ExecutionException refused = assertThrows(ExecutionException.class, () -> new WsClient(runtime.port, "?since=abc"));
        assertEquals(400, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }

    @Test
    void aViewportClientGetsItsCellsInPartsThenTheChangesInsideAndOnlyTheBoxOfThoseOutside() throws Exception {
        // 200 x 100 cells fill the viewport (two parts of 10,000); two cells lie outside it.
        String block = block(70_000, 70_000, 200, 100, "v.png");
        runtime.deploy("viewport.manifest.json", manifest(block, "\"70300,70000\":{\"brick\":\"v.png\",\"timestamp\":1},\"69000,70050\":{\"brick\":\"v.png\",\"timestamp\":1}"));
        RuntimeProcess.awaitCondition("the viewport's cells applied", TIMEOUT,
                () -> body("/infinitemap/api/tiles?x0=69000&y0=70050&x1=69000&y1=70050").contains("v.png"));
        try (WsClient client = new WsClient(runtime.port, "?mode=batch&viewport=70000,70000,70199,70099").answeringHeartbeats()) {
            Set<String> cells = new HashSet<>();
            for (int part = 1; part <= 2; part++) {
                int expected = part;
                String message = client.next(m -> m.startsWith("{\"type\":\"viewport\""), TIMEOUT);
                assertTrue(message.matches("\\{\"type\":\"viewport\",\"revision\":\\d+,\"x0\":70000,\"y0\":70000,\"x1\":70199,\"y1\":70099,\"part\":"
                        + expected + ",\"parts\":2,\"total\":20000,\"tiles\":\\{.*"), message.substring(0, 200));
                Matcher key = Pattern.compile("\"(-?\\d+),(-?\\d+)\":\\{").matcher(message);
                while (key.find()) {
                    assertTrue(cells.add(key.group(1) + "," + key.group(2)), "each cell once");
                }
            }
            assertEquals(20_000, cells.size());
            assertTrue(cells.contains("70000,70000") && cells.contains("70199,70099") && !cells.contains("70300,70000"), "exactly the cells inside");

            // One delta inside and outside: its box, then only the part inside.
            runtime.deploy("viewport.manifest.json", manifest(block.replace("\"70000,70000\":{\"brick\":\"v.png\"", "\"70000,70000\":{\"brick\":\"w.png\""),
                    "\"70300,70000\":{\"brick\":\"w.png\",\"timestamp\":1},\"69000,70050\":{\"brick\":\"v.png\",\"timestamp\":1}"));
            String box = client.next(m -> m.contains("\"type\":\"area_changed\"") && m.contains("\"x1\":70300"), TIMEOUT);
            assertTrue(box.matches("\\{\"type\":\"area_changed\",\"revision\":\\d+,\"x0\":70000,\"y0\":70000,\"x1\":70300,\"y1\":70000}"), box);
            String inside = client.next(m -> m.contains("\"type\":\"manifest_update\""), TIMEOUT);
            assertTrue(inside.matches("\\{\"type\":\"manifest_update\",\"revision\":\\d+,\"tiles\":\\{\"70000,70000\":\\{\"brick\":\"w.png\",\"timestamp\":1}},\"removed\":\\[]}"), inside);

            // Moved to the one cell outside: its cells at a revision, then what changes there.
            client.send("{\"type\":\"viewport\",\"x0\":69000,\"y0\":70050,\"x1\":69000,\"y1\":70050}");
            String moved = client.next(m -> m.startsWith("{\"type\":\"viewport\""), TIMEOUT);
            assertTrue(moved.matches("\\{\"type\":\"viewport\",\"revision\":\\d+,\"x0\":69000,\"y0\":70050,\"x1\":69000,\"y1\":70050,\"part\":1,\"parts\":1,\"total\":1,"
                    + "\"tiles\":\\{\"69000,70050\":\\{\"brick\":\"v.png\",\"timestamp\":1}}}"), moved);
            Files.delete(runtime.home.resolve("deploy/viewport.manifest.json"));
            String removed = client.next(m -> m.contains("\"type\":\"manifest_update\""), TIMEOUT);
            assertTrue(removed.matches("\\{\"type\":\"manifest_update\",\"revision\":\\d+,\"tiles\":\\{},\"removed\":\\[\"69000,70050\"]}"), removed);
            synchronized (client.received) {
                assertFalse(client.received.stream().anyMatch(m -> m.startsWith("{\"type\":\"manifest_update\"") && m.contains("70300,")), "nothing from outside");
            }
        }
    }

    /**
     * A viewport moved back and forth while a manifest across it keeps changing: what the client
     * builds from its viewport parts and the changes after them is, after every write, exactly
     * the map's cells in the viewport it asked for last.
     */
    @Test
    void aViewportMovedWhileTheMapChangesHoldsExactlyTheMapsCellsAfterEveryWrite() throws Exception {
        Viewed view = new Viewed();
        // Viewports of 40,000 cells over a full ground, so each move takes the catch-up a while
        // and the changes of the writes land while it runs: they must be held, then follow.
        String[] rects = { "80000,80000,80199,80199", "80000,80010,80199,80209" };
        runtime.deploy("moving-ground.manifest.json", manifest(block(80_000, 80_000, 200, 210, "ground.png")));
        RuntimeProcess.awaitCondition("the ground applied", TIMEOUT, () -> runtime.log().contains("deploy/moving-ground.manifest.json applied"));
        try (WsClient client = new WsClient(runtime.port, "?mode=batch&viewport=" + rects[0]).answeringHeartbeats()) {
            java.util.Random random = new java.util.Random(11);
            long written = 0; // the revision of the latest write's delta
            for (int write = 1; write <= 30; write++) {
                java.util.Map<String, Integer> chosen = new java.util.LinkedHashMap<>();
                while (chosen.size() < 300) { // 300 cells in and around both viewports, a brick each
                    chosen.put((79990 + random.nextInt(220)) + "," + (79990 + random.nextInt(230)), random.nextInt(4));
                }
                StringBuilder cells = new StringBuilder();
                int stamp = write;
                chosen.forEach((cell, brick) -> cells.append(cells.length() == 0 ? "" : ",").append('"').append(cell)
                        .append("\":{\"brick\":\"b").append(brick).append(".png\",\"timestamp\":").append(stamp).append('}'));
                runtime.deploy("moving.manifest.json", ("{\"layer\":1,\"tiles\":{" + cells + "}}").getBytes(StandardCharsets.UTF_8));
                String[] moved = rects[write % 2].split(",");
                client.send("{\"type\":\"viewport\",\"x0\":" + moved[0] + ",\"y0\":" + moved[1] + ",\"x1\":" + moved[2] + ",\"y1\":" + moved[3] + "}");
                written = awaitDeltaOf("moving", written);
                assertSameAsTheMap(view, client, rects[write % 2], "", written);
            }
        } finally {
            Files.deleteIfExists(runtime.home.resolve("deploy/moving.manifest.json"));
            Files.deleteIfExists(runtime.home.resolve("deploy/moving-ground.manifest.json"));
        }
    }

    /**
     * A viewport that hides compositors, while the hidden one and a visible one above it keep
     * changing and the hidden set changes: after every write the client holds exactly the map as
     * it shows without them, and the hidden compositor's writes send it nothing.
     */
    @Test
    void aViewportThatHidesCompositorsHoldsExactlyTheMapWithoutThemAfterEveryWrite() throws Exception {
        Viewed view = new Viewed();
        String viewport = "90000,90000,90199,90199";
        runtime.deploy("hide-ground.manifest.json", manifest(block(90_000, 90_000, 200, 200, "ground.png")));
        RuntimeProcess.awaitCondition("the ground applied", TIMEOUT, () -> runtime.log().contains("deploy/hide-ground.manifest.json applied"));
        try (WsClient client = new WsClient(runtime.port, "?mode=batch&viewport=" + viewport + "&hide=hide-cover").answeringHeartbeats()) {
            java.util.Random random = new java.util.Random(5);
            String hidden = "hide-cover";
            long written = 0; // the revision of the latest write's delta
            for (int write = 1; write <= 24; write++) {
                String file = write % 3 == 0 ? "hide-top" : "hide-cover"; // the top covers the cover, which covers the ground
                java.util.Map<String, Integer> chosen = new java.util.LinkedHashMap<>();
                while (chosen.size() < (file.equals("hide-top") ? 60 : 300)) {
                    chosen.put((89990 + random.nextInt(220)) + "," + (89990 + random.nextInt(220)), random.nextInt(4));
                }
                StringBuilder cells = new StringBuilder();
                int stamp = write;
                chosen.forEach((cell, brick) -> cells.append(cells.length() == 0 ? "" : ",").append('"').append(cell)
                        .append("\":{\"brick\":\"").append(file).append(brick).append(".png\",\"timestamp\":").append(stamp).append('}'));
                int layer = file.equals("hide-top") ? 2 : 1;
                runtime.deploy(file + ".manifest.json", ("{\"layer\":" + layer + ",\"tiles\":{" + cells + "}}").getBytes(StandardCharsets.UTF_8));
                if (write % 8 == 0) { // now and then another hidden set, by message
                    hidden = write % 16 == 0 ? "hide-cover" : "hide-cover,hide-top";
                    client.send("{\"type\":\"viewport\",\"x0\":90000,\"y0\":90000,\"x1\":90199,\"y1\":90199,\"hide\":[\""
                            + hidden.replace(",", "\",\"") + "\"]}");
                }
                written = awaitDeltaOf(file, written);
                assertSameAsTheMap(view, client, viewport, hidden, written);
                if (hidden.equals("hide-cover")) {
                    assertTrue(view.cells.values().stream().noneMatch(brick -> brick.startsWith("hide-cover")), "no tile of the hidden compositor shows");
                }
            }
        } finally {
            for (String file : List.of("hide-top", "hide-cover", "hide-ground")) {
                Files.deleteIfExists(runtime.home.resolve("deploy/" + file + ".manifest.json"));
            }
        }
    }

    /** A change too scattered to read again on the shared fan-out thread sends a hiding viewport its cells again instead. */
    @Test
    void aHidingViewportHitEverywhereByOneChangeGetsItsCellsAgain() throws Exception {
        String viewport = "200000,200000,200999,200999";
        try (WsClient client = new WsClient(runtime.port, "?mode=batch&viewport=" + viewport + "&hide=nobody").answeringHeartbeats()) {
            client.next(m -> m.startsWith("{\"type\":\"viewport\""), TIMEOUT);
            StringBuilder cells = new StringBuilder();
            for (int i = 0; i < 1_100; i++) { // more than a change may have read cell by cell, across a million cells
                cells.append(i == 0 ? "" : ",").append('"').append(200_000 + i % 1000).append(',').append(200_000 + i / 1000 * 500 + i % 7 * 60)
                        .append("\":{\"brick\":\"s.png\",\"timestamp\":1}");
            }
            runtime.deploy("scattered.manifest.json", ("{" + cells + "}").getBytes(StandardCharsets.UTF_8));
            String again = client.next(m -> m.startsWith("{\"type\":\"viewport\""), TIMEOUT);
            assertTrue(again.contains("\"total\":1100,\"hide\":[\"nobody\"]"), "its viewport again, all of the change in it: " + again.substring(0, 200));
        } finally {
            Files.deleteIfExists(runtime.home.resolve("deploy/scattered.manifest.json"));
        }
    }

    /**
     * The revision of a compositor's latest delta, once the map has one newer than {@code after}:
     * the log's "applied" line comes when the delta is posted, before the map has applied it.
     */
    private static long awaitDeltaOf(String compositor, long after) throws Exception {
        long[] latest = { 0 };
        Pattern own = Pattern.compile("\\{\"revision\":(\\d+),\"compositor\":" + Pattern.quote("\"" + compositor + "\""));
        RuntimeProcess.awaitCondition("a delta of " + compositor + " after revision " + after, TIMEOUT, () -> {
            Matcher m = own.matcher(body("/infinitemap/api/deltas?limit=1000"));
            latest[0] = m.find() ? Long.parseLong(m.group(1)) : 0; // newest first
            return latest[0] > after;
        });
        return latest[0];
    }

    // Once the client is past the write's revision in the viewport it asked for last, it holds
    // exactly the map's cells there: nothing but the write changes them, and the clock ticking
    // elsewhere brings the client past it with its boxes.
    private static void assertSameAsTheMap(Viewed view, WsClient client, String viewport, String hidden, long written) throws Exception {
        RuntimeProcess.awaitCondition("the client in " + viewport + " hiding [" + hidden + "] past revision " + written, TIMEOUT, () -> {
            view.take(client);
            return view.revision >= written && view.viewport.equals(viewport) && view.hidden.equals(hidden);
        });
        long revision = view.revision;
        String[] r = viewport.split(",");
        java.util.Map<String, String> expected = new java.util.TreeMap<>();
        Viewed.tiles(body("/infinitemap/api/tiles?x0=" + r[0] + "&y0=" + r[1] + "&x1=" + r[2] + "&y1=" + r[3] + (hidden.isEmpty() ? "" : "&hide=" + hidden)), expected);
        assertEquals(40_000, expected.size(), "the ground fills the viewport");
        java.util.Set<String> cells = new java.util.TreeSet<>(expected.keySet());
        cells.addAll(view.cells.keySet());
        List<String> differences = cells.stream().filter(cell -> !java.util.Objects.equals(expected.get(cell), view.cells.get(cell)))
                .map(cell -> cell + ": map " + expected.get(cell) + ", client " + view.cells.get(cell)).toList();
        assertEquals(List.of(), differences.subList(0, Math.min(10, differences.size())), differences.size()
                + " cell(s) of the client in viewport " + viewport + " hiding [" + hidden + "] differ from the map at revision " + revision + ", written " + written + ", first ten");
    }

    /** What a viewport client holds, built from the messages as a page would. */
    private static final class Viewed {
        final java.util.Map<String, String> cells = new java.util.HashMap<>();
        java.util.Map<String, String> incoming;
        String viewport = "";
        String hidden = ""; // the compositors the viewport hides, sorted, separated by commas
        long revision;

        void take(WsClient client) {
            for (String message; (message = client.messages.poll()) != null;) {
                Matcher head = Pattern.compile("^\\{\"type\":\"(\\w+)\",\"revision\":(\\d+)").matcher(message);
                if (!head.find()) {
                    continue;
                }
                // An area_changed comes before the same change's cells inside: it ends only the revisions before it.
                long through = Long.parseLong(head.group(2)) - (head.group(1).equals("area_changed") ? 1 : 0);
                revision = Math.max(revision, through);
                switch (head.group(1)) {
                    case "viewport" -> {
                        Matcher m = Pattern.compile("\"x0\":(-?\\d+),\"y0\":(-?\\d+),\"x1\":(-?\\d+),\"y1\":(-?\\d+),\"part\":(\\d+),\"parts\":(\\d+)").matcher(message);
                        assertTrue(m.find(), message);
                        if (m.group(5).equals("1")) {
                            incoming = new java.util.HashMap<>();
                        }
                        tiles(message, incoming);
                        if (m.group(5).equals(m.group(6))) {
                            cells.clear();
                            cells.putAll(incoming);
                            viewport = m.group(1) + "," + m.group(2) + "," + m.group(3) + "," + m.group(4);
                            Matcher hide = Pattern.compile("\"total\":\\d+,\"hide\":\\[([^\\]]*)]").matcher(message);
                            hidden = hide.find() ? hide.group(1).replace("\"", "") : "";
                        }
                    }
                    case "manifest_update" -> {
                        tiles(message, cells);
                        Matcher removed = Pattern.compile("\"removed\":\\[([^\\]]*)]").matcher(message);
                        assertTrue(removed.find(), message);
                        Matcher key = Pattern.compile("\"(-?\\d+,-?\\d+)\"").matcher(removed.group(1));
                        while (key.find()) {
                            cells.remove(key.group(1));
                        }
                    }
                    default -> { }
                }
            }
        }

        private static void tiles(String message, java.util.Map<String, String> into) {
            Matcher tile = Pattern.compile("\"(-?\\d+,-?\\d+)\":\\{\"brick\":\"([^\"]+)\"").matcher(message);
            while (tile.find()) {
                into.put(tile.group(1), tile.group(2));
            }
        }
    }

    @Test
    void aBadViewportIsRefusedWithTheReason() throws Exception {
        for (String query : List.of("?viewport=1,2,3", "?viewport=0,0,-1,0", "?viewport=0,0,2000,2000", "?viewport=a,b,c,d", "?viewport=0,0,1,1&since=0",
                "?hide=clock")) {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> new WsClient(runtime.port, query), query);
            assertEquals(400, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode(), query);
        }
        try (WsClient client = new WsClient(runtime.port, "?mode=batch").answeringHeartbeats()) {
            for (String bad : List.of("{\"type\":\"viewport\",\"x0\":0,\"y0\":0,\"x1\":1}", "{\"type\":\"viewport\",\"x0\":0.5,\"y0\":0,\"x1\":1,\"y1\":1}",
                    "{\"type\":\"viewport\",\"x0\":0,\"y0\":0,\"x1\":3000000000,\"y1\":0}", "{\"type\":\"viewport\",\"x0\":0,\"y0\":0,\"x1\":5000,\"y1\":5000}")) {
                String reply = errorReplyTo(client, bad);
                assertTrue(reply.contains("viewport"), bad + " -> " + reply);
            }
            for (String bad : List.of("{\"type\":\"viewport\",\"x0\":0,\"y0\":0,\"x1\":1,\"y1\":1,\"hide\":\"clock\"}",
                    "{\"type\":\"viewport\",\"x0\":0,\"y0\":0,\"x1\":1,\"y1\":1,\"hide\":[1]}")) {
                String reply = errorReplyTo(client, bad);
                assertTrue(reply.contains("hide must be an array of compositor names"), bad + " -> " + reply);
            }
            client.send("{\"type\":\"viewport\",\"x0\":-3,\"y0\":-3,\"x1\":-3,\"y1\":-3}");
            assertTrue(client.next(m -> m.startsWith("{\"type\":\"viewport\""), TIMEOUT).contains("\"x0\":-3"), "still connected, and a good viewport answered");
        }
    }

    private static String errorReplyTo(WsClient client, String bad) throws Exception {
        client.send(bad);
        return client.next(m -> m.contains("\"type\":\"error\""), TIMEOUT);
    }

    private static String block(int x0, int y0, int width, int height, String brick) {
        StringBuilder out = new StringBuilder();
        for (int y = y0; y < y0 + height; y++) {
            for (int x = x0; x < x0 + width; x++) {
                out.append(out.length() == 0 ? "" : ",").append('"').append(x).append(',').append(y).append("\":{\"brick\":\"").append(brick).append("\",\"timestamp\":1}");
            }
        }
        return out.toString();
    }

    private static byte[] manifest(String... entries) {
        return ("{" + String.join(",", entries) + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPageFromAnotherSiteCannotOpenTheFeedButTheRuntimesOwnPagesCan() throws Exception {
        ExecutionException refused = assertThrows(ExecutionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "http://evil.example").buildAsync(URI.create("ws://127.0.0.1:" + runtime.port + "/infinitemap/ws"),
                        new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS));
        assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
        WebSocket own = HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", "http://127.0.0.1:" + runtime.port)
                .buildAsync(URI.create("ws://127.0.0.1:" + runtime.port + "/infinitemap/ws"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
        own.abort();
    }

    @Test
    void aCameraUpdateIsBroadcastToTheOtherClientsWithATimestamp() throws Exception {
        try (WsClient sender = new WsClient(runtime.port, ""); WsClient watcher = new WsClient(runtime.port, "")) {
            // A camera goes to the clients the server has joined: the handshake may end on this side
            // before the server has. A heartbeat says it has; the answer keeps the watcher from idling out.
            watcher.next(m -> m.contains("\"type\":\"heartbeat\""), TIMEOUT);
            watcher.send("{\"type\":\"heartbeat\",\"timestamp\":1}");
            sender.send("{\"type\":\"camera_update\",\"x\":12.5,\"y\":-3,\"zoom\":1.5}");
            String camera = watcher.next(m -> m.contains("camera_update"), TIMEOUT);
            assertTrue(camera.matches("\\{\"type\":\"camera_update\",\"x\":12.5,\"y\":-3,\"zoom\":1.5,\"timestamp\":[0-9.]+}"), camera);
            sender.send("{\"type\":\"heartbeat\",\"timestamp\":1}");
            assertFalse(sender.messages.stream().anyMatch(m -> m.contains("camera_update")), "not echoed to its sender");
        }
    }

    @Test
    void invalidMessagesGetAnErrorReplyAndTheConnectionStays() throws Exception {
        try (WsClient client = new WsClient(runtime.port, ""); WsClient watcher = new WsClient(runtime.port, "")) {
            for (String bad : List.of("not json", "[1,2]", "{\"type\":42}", "{\"type\":\"teleport\"}", "{\"type\":\"camera_update\",\"x\":\"a\",\"y\":0,\"zoom\":1}",
                    "{\"type\":\"camera_update\",\"x\":0,\"y\":0,\"zoom\":0}", "{\"type\":\"heartbeat\"} {}")) {
                String reply = errorReplyTo(client, bad);
                assertTrue(reply.matches("\\{\"type\":\"error\",\"message\":\"(\\\\.|[^\"\\\\])+\"}"), bad + " -> " + reply);
            }
            client.send("{\"type\":\"camera_update\",\"x\":1,\"y\":2,\"zoom\":3}");
            assertTrue(watcher.next(m -> m.contains("camera_update"), TIMEOUT).contains("\"x\":1,\"y\":2,\"zoom\":3"), "still connected and heard");
        }
    }

    @Test
    void tenThousandConnectsAndDisconnectsLeaveNoThreadsOrHeapBehind() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        cycleConnections(http, 500); // warm-up: Jetty's pools and the JIT reach their steady size
        long before = runtime.threads();
        long heapBefore = runtime.heapAfterGc();
        cycleConnections(http, 10_000);
        RuntimeProcess.awaitCondition("the thread count back at its baseline", TIMEOUT, () -> runtime.threads() <= before * 1.1);
        // The change log still fills (the clock adds ~13 kB a second), so allow 2 MB: a client
        // object left behind per connection would be 5 MB or more.
        long grown = runtime.heapAfterGc() - heapBefore;
        System.out.printf("10,000 WebSocket connections: threads %d before, %d after; heap after GC %d kB before, grew by %d kB%n",
                before, runtime.threads(), heapBefore / 1024, grown / 1024);
        assertTrue(grown < 2 * 1024 * 1024, "heap after GC grew by " + grown + " bytes over 10,000 connections");
        assertTrue(get("/infinitemap/api/status", null).body().contains("\"ready\":true"));
    }

    private static void cycleConnections(HttpClient http, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + runtime.port + "/infinitemap/ws"),
                    new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
            if (i % 2 == 0) {
                socket.abort();
            } else {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aMessageOver64KiBClosesTheConnectionWith1009() throws Exception {
        try (WsClient client = new WsClient(runtime.port, "")) {
            client.send("{\"type\":\"heartbeat\",\"pad\":\"" + "x".repeat(64 * 1024) + "\"}");
            assertEquals(1009, client.closed.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void theServerSendsHeartbeatsAndClosesAClientThatStaysSilent() throws Exception {
        try (WsClient silent = new WsClient(runtime.port, ""); WsClient answering = new WsClient(runtime.port, "")) {
            long start = System.nanoTime();
            String beat = answering.next(m -> m.contains("\"type\":\"heartbeat\""), TIMEOUT);
            assertTrue(beat.matches("\\{\"type\":\"heartbeat\",\"timestamp\":\\d+}"), beat);
            // The answering client speaks twice a second; the silent one is closed after 3 s.
            Integer silentClose = null;
            while (silentClose == null) {
                answering.send("{\"type\":\"heartbeat\",\"timestamp\":1}");
                try {
                    silentClose = silent.closed.get(500, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    assertTrue(System.nanoTime() - start < TIMEOUT.toNanos(), "the silent client closed in time");
                }
            }
            assertEquals(1000, silentClose);
            assertFalse(answering.closed.isDone(), "a client that answers stays connected");
        }
    }

    @Test
    void aClientThatFallsBehindIsToldAndGetsASnapshotThenLiveChangesAgain() throws Exception {
        try (WsClient client = new WsClient(runtime.port, "")) {
            // 1,500 cells in one delta: more than the client's queue of 1,000 messages.
            runtime.deploy("behind.manifest.json", TestManifests.row(0, 1500, 9100, "c.png"));
            String resync = client.next(m -> m.startsWith("{\"type\":\"resync\""), TIMEOUT);
            assertTrue(resync.contains("fell behind"), resync);
            String snapshot = client.next(m -> m.startsWith("{\"type\":\"snapshot\""), TIMEOUT);
            assertTrue(snapshot.contains("\"0,9100\":") && snapshot.contains("\"1499,9100\":"), "the snapshot has the delta it could not queue");
            long snapshotRevision = revision(snapshot);

            runtime.deploy("behind-after.manifest.json", "{ \"0,9101\": {\"brick\": \"a.png\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
            String live = client.next(m -> m.contains("\"y\":9101"), TIMEOUT);
            assertTrue(live.startsWith("{\"type\":\"tile_update\"") && revision(live) > snapshotRevision, live);
        }
        Files.delete(runtime.home.resolve("deploy/behind.manifest.json"));
        Files.delete(runtime.home.resolve("deploy/behind-after.manifest.json"));
    }

    @Test
    void aClientThatStopsReadingDoesNotHoldUpTheOthers() throws Exception {
        WebSocket stalled = WsClient.stalled(runtime.port, "");
        try (WsClient reader = new WsClient(runtime.port, "")) {
            Set<String> seen = new HashSet<>();
            for (int f = 0; f < 20; f++) {
                runtime.deploy("stall-" + f + ".manifest.json", TestManifests.row(f * 900, 900, 9200, "c.png"));
            }
            // A reader on this busy machine may itself fall behind (then a snapshot brings what it
            // missed), and it answers the server so its silence is never what ends it.
            Pattern cell = Pattern.compile("\"x\":(\\d+),\"y\":9200|\"(\\d+),9200\":");
            long lastSent = System.nanoTime();
            while (seen.size() < 18_000) {
                Matcher m = cell.matcher(reader.next(text -> text.contains("\"y\":9200") || text.contains(",9200\":"), TIMEOUT));
                while (m.find()) {
                    seen.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
                if (System.nanoTime() - lastSent > TimeUnit.SECONDS.toNanos(1)) {
                    reader.send("{\"type\":\"heartbeat\",\"timestamp\":1}");
                    lastSent = System.nanoTime();
                }
            }
        } finally {
            stalled.abort();
            for (int f = 0; f < 20; f++) {
                Files.deleteIfExists(runtime.home.resolve("deploy/stall-" + f + ".manifest.json"));
            }
        }
        assertTrue(get("/infinitemap/api/status", null).body().contains("\"ready\":true"));
    }

    private static long revision(String message) {
        Matcher m = Pattern.compile("\"revision\":(\\d+)").matcher(message);
        assertTrue(m.find(), message);
        return Long.parseLong(m.group(1));
    }

    private static HttpResponse<String> get(String path, String ifNoneMatch) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port + path)).timeout(Duration.ofSeconds(10));
            if (ifNoneMatch != null) {
                request.header("If-None-Match", ifNoneMatch);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String body(String path) {
        return get(path, null).body();
    }
}
