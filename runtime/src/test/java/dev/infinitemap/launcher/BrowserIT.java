package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The viewer page and the console tab in Debian's headless Chromium, driven by Selenium through
 * {@code /usr/bin/chromedriver}, against the assembled runtime. Screenshots go to
 * {@code target/screenshots/}.
 */
class BrowserIT {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    @TempDir
    static Path dir;

    static RuntimeProcess runtime;
    static int legacyPort;

    ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        legacyPort = RuntimeProcess.freePort();
        // A page written as the old client's are: relative manifest path, the socket on the page's own host.
        Path oldWeb = Files.createDirectories(dir.resolve("old-web"));
        Files.writeString(oldWeb.resolve("index.html"), """
                <!doctype html><title>old client</title><script src="client.js"></script>""");
        Files.writeString(oldWeb.resolve("client.js"), """
                window.seen = { manifestCells: -1, update: null };
                fetch('/builder/map/manifest.json?t=' + Date.now()).then(r => r.json()).then(m => { window.seen.manifestCells = Object.keys(m).length; });
                const socket = new WebSocket('ws://' + location.host);
                socket.onmessage = (e) => { const m = JSON.parse(e.data); if (m.type === 'tile_update' && m.x === 4242) window.seen.update = m; };
                socket.onopen = () => { window.seen.open = true; };
                """);
        runtime = new RuntimeProcess(dir).env("INFINITEMAP_ADMIN_PASSWORD", "browser-test-secret")
                .env("INFINITEMAP_LEGACY_PORT", String.valueOf(legacyPort)).env("INFINITEMAP_LEGACY_WEB", oldWeb.toString()).start();
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    @BeforeEach
    void openBrowser() {
        browser = Chromium.start(dir.resolve("chromium-" + System.nanoTime()));
    }

    @AfterEach
    void closeBrowser() {
        browser.quit();
    }

    @Test
    void theViewerDrawsATileShortlyAfterAManifestIsDropped() throws Exception {
        browser.get(viewer());
        await("the viewer live with the samples", () -> "live".equals(js("return window.infinitemap.connection"))
                && ((Number) js("return window.infinitemap.tileCount")).intValue() > 0);
        List<?> before = (List<?>) js("return window.infinitemap.pixelAt(3, 3)");

        runtime.deploy("browser.manifest.json", "{ \"compositor\": \"browser\", \"layer\": 100, \"tiles\": { \"3,3\": {\"brick\": \"road.png\", \"timestamp\": 1} } }"
                .getBytes(StandardCharsets.UTF_8));
        await("the tile in the page's state", () -> String.valueOf(js("return JSON.stringify(window.infinitemap.tileAt(3, 3))")).contains("road.png"));
        await("the tile drawn on the canvas", () -> !before.equals(js("return window.infinitemap.pixelAt(3, 3)")));
        await("the compositor listed", () -> browser.findElement(By.id("compositors")).getText().contains("browser"));
        screenshot("viewer");
        Files.delete(runtime.home.resolve("deploy/browser.manifest.json"));
        // The spiral sample below it shows again.
        await("the tile gone from the page", () -> !String.valueOf(js("return JSON.stringify(window.infinitemap.tileAt(3, 3))")).contains("road.png"));
    }

    @Test
    void theViewerReconnectsAfterARestartAndCatchesUp() throws Exception {
        runtime.deploy("restart.manifest.json", "{ \"layer\": 100, \"tiles\": { \"-3,2\": {\"brick\": \"grass.png\", \"timestamp\": 1} } }".getBytes(StandardCharsets.UTF_8));
        browser.get(viewer());
        await("the first version on the page", () -> String.valueOf(js("return JSON.stringify(window.infinitemap.tileAt(-3, 2))")).contains("grass.png"));

        assertEquals(0, runtime.stop());
        await("the page noticing", () -> !"live".equals(js("return window.infinitemap.connection")));
        // Offline the last map stays, greyed, and the compositor list says it is stale.
        assertTrue(String.valueOf(js("return JSON.stringify(window.infinitemap.tileAt(-3, 2))")).contains("grass.png"), "the last map kept");
        assertTrue(String.valueOf(js("return getComputedStyle(document.getElementById('map')).filter")).contains("grayscale"), "greyed");
        assertTrue(browser.findElement(By.id("stale")).isDisplayed() && browser.findElement(By.id("stale")).getText().startsWith("Offline since"));
        screenshot("viewer-offline");
        Path staging = runtime.home.resolve("data/restart.part");
        Files.writeString(staging, "{ \"layer\": 100, \"tiles\": { \"-3,2\": {\"brick\": \"road.png\", \"timestamp\": 2} } }");
        Files.move(staging, runtime.home.resolve("deploy/restart.manifest.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        runtime.start();

        await("the edit made while the runtime was down", () -> "live".equals(js("return window.infinitemap.connection"))
                && String.valueOf(js("return JSON.stringify(window.infinitemap.tileAt(-3, 2))")).contains("road.png"));
        assertEquals("none", js("return getComputedStyle(document.getElementById('map')).filter"), "in colour again");
        assertFalse(browser.findElement(By.id("stale")).isDisplayed(), "the list no longer stale");
        Files.delete(runtime.home.resolve("deploy/restart.manifest.json"));
    }

    @Test
    void panningInOnePageMovesTheCameraOfAnotherOpenPage() throws Exception {
        browser.get(viewer());
        await("the first page live", () -> "live".equals(js("return window.infinitemap.connection")));
        shareCamera();
        String first = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB).get(viewer());
        await("the second page live", () -> "live".equals(js("return window.infinitemap.connection")));
        assertEquals(Boolean.TRUE, js("return document.getElementById('camera-sync').checked"), "the choice is remembered");
        String second = browser.getWindowHandle();

        browser.switchTo().window(first);
        new Actions(browser).dragAndDropBy(browser.findElement(By.id("map")), -320, -160).perform(); // 10 cells right, 5 down at 32 px
        Map<?, ?> moved = (Map<?, ?>) js("return window.infinitemap.camera");
        assertEquals(10.0, ((Number) moved.get("x")).doubleValue(), 0.5);
        assertEquals(5.0, ((Number) moved.get("y")).doubleValue(), 0.5);

        browser.switchTo().window(second);
        await("the second page's camera following", () -> {
            Map<?, ?> camera = (Map<?, ?>) js("return window.infinitemap.camera");
            return Math.abs(((Number) camera.get("x")).doubleValue() - ((Number) moved.get("x")).doubleValue()) < 0.01
                    && Math.abs(((Number) camera.get("y")).doubleValue() - ((Number) moved.get("y")).doubleValue()) < 0.01;
        });
    }

    /** Issue 10: the viewer used cells on the wire, so an open viewer threw old clients to zoom 10 near the origin. */
    @Test
    void theViewerAndAGeometryOsClientShareTheCameraInTheOldProtocolsUnits() throws Exception {
        browser.get(viewer());
        // Its first message (the catch-up) says the server has joined it: cameras go to joined clients.
        await("the page live", () -> "live".equals(js("return window.infinitemap.connection"))
                && ((Number) js("return window.infinitemap.messages")).intValue() > 0);
        try (OldGeometryClient old = new OldGeometryClient(legacyPort)) {
            await("the old client connected", old::connected);
            old.send("{\"type\":\"camera_update\",\"x\":1000,\"y\":-500,\"zoom\":0.5,\"target_x\":1000,\"target_y\":-500,\"target_zoom\":0.5}");
            await("the old client's camera on the page", () -> ((Number) js("return window.infinitemap.camerasReceived")).intValue() >= 1);
            assertEquals(0.0, ((Number) ((Map<?, ?>) js("return window.infinitemap.camera")).get("x")).doubleValue(), 1e-9,
                    "not followed before the user chose to share");

            shareCamera();
            old.send("{\"type\":\"camera_update\",\"x\":1000,\"y\":-500,\"zoom\":0.5}");
            await("the page at cell (10,-5), 50 px per cell", () -> {
                Map<?, ?> camera = (Map<?, ?>) js("return window.infinitemap.camera");
                return Math.abs(((Number) camera.get("x")).doubleValue() - 10) < 1e-9 && Math.abs(((Number) camera.get("y")).doubleValue() + 5) < 1e-9
                        && Math.abs(((Number) camera.get("zoom")).doubleValue() - 50) < 1e-9;
            });

            old.cameras.clear();
            new Actions(browser).dragAndDropBy(browser.findElement(By.id("map")), -500, 0).perform(); // 10 cells right at 50 px
            Map<?, ?> moved = (Map<?, ?>) js("return window.infinitemap.camera");
            await("the page's camera on the old client, in world pixels", () -> old.cameras.stream().anyMatch(m -> {
                java.util.regex.Matcher c = java.util.regex.Pattern.compile("\"x\":([-0-9.]+),\"y\":([-0-9.]+),\"zoom\":([-0-9.]+)").matcher(m);
                return c.find() && Math.abs(Double.parseDouble(c.group(1)) - ((Number) moved.get("x")).doubleValue() * 100) < 0.5
                        && Math.abs(Double.parseDouble(c.group(2)) + 500) < 0.5 && Math.abs(Double.parseDouble(c.group(3)) - 0.5) < 1e-9;
            }));
            assertEquals(20.0, ((Number) moved.get("x")).doubleValue(), 0.5, "dragged 10 cells from 10");
        }
    }

    /** Issue 10: the old pages came from the same origin as the manifest, the bricks and the socket; unchanged, they still can. */
    @Test
    void anOldClientsPageServedFromTheLegacyPortReadsTheManifestAndTheSocketWithoutAnySetting() throws Exception {
        browser.get("http://127.0.0.1:" + legacyPort + "/");
        await("the old page's socket open and manifest read", () -> Boolean.TRUE.equals(js("return window.seen.open === true"))
                && ((Number) js("return window.seen.manifestCells")).intValue() > 0);
        runtime.deploy("old-page.manifest.json", "{ \"4242,0\": {\"brick\": \"road.png\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
        await("the tile_update on the old page", () -> String.valueOf(js("return JSON.stringify(window.seen.update)")).contains("road.png"));
        assertFalse(runtime.log().contains("Refused a page"), "a page of the same origin needs no allowedOrigins");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        Files.writeString(dir.resolve("secret.txt"), "not-for-pages");
        Files.createSymbolicLink(dir.resolve("old-web/link.txt"), dir.resolve("secret.txt"));
        for (String outside : List.of("/%2e%2e/secret.txt", "/..%2fsecret.txt", "/link.txt")) {
            java.net.http.HttpResponse<String> answer = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + legacyPort + outside)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertNotEquals(200, answer.statusCode(), outside);
            assertFalse(answer.body().contains("not-for-pages"), outside);
        }
        Files.delete(runtime.home.resolve("deploy/old-page.manifest.json"));
    }

    private void shareCamera() {
        js("const box = document.getElementById('camera-sync'); if (!box.checked) box.click();");
    }

    @Test
    void theConsoleTabRendersStatusAndCompositorsBehindTheLogin() throws Exception {
        // Judged once it has been still for 2 s: it is listed by the time the checks below reach it.
        Path broken = runtime.deploy("console-broken.jar", "not a jar".getBytes(StandardCharsets.UTF_8));
        browser.get("http://127.0.0.1:" + runtime.port + "/system/console/infinitemap");
        assertNotEquals("InfiniteMap", browser.getTitle(), "no page without the password");

        browser.get("http://admin:browser-test-secret@127.0.0.1:" + runtime.port + "/system/console/infinitemap");
        await("the status card", () -> "ready".equals(browser.findElement(By.id("im-ready")).getText()));
        await("the compositors table", () -> browser.findElement(By.id("im-compositor-rows")).getText().contains("welcome.manifest.json"));
        await("the latest deltas", () -> !browser.findElement(By.id("im-delta-rows")).getText().isBlank());
        await("the live feed", () -> "live".equals(browser.findElement(By.id("im-feed")).getText()));
        assertTrue(browser.findElement(By.id("im-compositor-rows")).getText().contains("dev.infinitemap.compositor.clock"));
        await("the broken jar among the compositors, with why", () -> String.valueOf(js("return [...document.querySelectorAll('#im-compositor-rows tr')]"
                + ".map((row) => row.textContent).find((t) => t.includes('deploy/console-broken.jar')) || ''")).matches(".*not installed.*it is not a valid jar \\(zip\\) file.*"));
        Files.delete(broken);
        // The samples' tiles are on the minimap: pixels other than the background.
        await("the minimap drawn", () -> ((Number) js("const c = document.getElementById('im-minimap');"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + "for (let i = 0; i < d.length; i += 4) if (d[i] !== 13 || d[i + 1] !== 17 || d[i + 2] !== 23) n++; return n;")).intValue() > 1000);

        // A deleted manifest's delta only removes tiles: the row still names whose delta it was.
        runtime.deploy("console.manifest.json", TestManifests.row(-500, 3, -500, "grass.png"));
        await("the console manifest listed", () -> browser.findElement(By.id("im-compositor-rows")).getText().contains("console.manifest.json"));
        Files.delete(runtime.home.resolve("deploy/console.manifest.json"));
        // Read in one script: the table is redrawn on every change, an element read earlier may be gone.
        await("the removal among the latest deltas", () -> ((List<?>) js("return [...document.querySelectorAll('#im-delta-rows tr')]"
                + ".map((row) => [...row.cells].map((cell) => cell.textContent))")).stream()
                .map(row -> (List<?>) row).anyMatch(cells -> cells.size() == 4 && cells.subList(1, 4).equals(List.of("console", "0", "3"))));
        screenshot("console-tab");

        // The deltas of one compositor: the clock's ticks no longer hide the others', and the other way round.
        new Select(browser.findElement(By.id("im-delta-filter"))).selectByValue("clock");
        await("only the clock's deltas", () -> {
            List<?> names = (List<?>) js("return [...document.querySelectorAll('#im-delta-rows tr')].map((row) => row.cells[1].textContent)");
            return !names.isEmpty() && names.stream().allMatch("clock"::equals);
        });
        // A click on the minimap opens the viewer at the cell under it.
        String console = browser.getWindowHandle();
        browser.findElement(By.id("im-minimap")).click();
        await("the viewer opened", () -> browser.getWindowHandles().size() == 2);
        browser.getWindowHandles().stream().filter(h -> !h.equals(console)).findFirst().ifPresent(h -> browser.switchTo().window(h));
        await("the viewer at a cell", () -> browser.getCurrentUrl().matches(".*/infinitemap/#-?\\d+,-?\\d+,32"));
    }

    /** Zoomed out the page draws the slippy tiles, and a change off screen draws nothing. */
    @Test
    void zoomedOutTheViewerDrawsSlippyTilesFromItsPermalinkAndIgnoresChangesOffScreen() throws Exception {
        runtime.deploy("far.manifest.json", TestManifests.row(300_000, 4, 300_000, "road.png"));
        browser.get(viewer() + "#300001,300000,4");
        await("the page live at the permalink", () -> "live".equals(js("return window.infinitemap.connection")) && Boolean.TRUE.equals(js("return window.infinitemap.loaded")));
        assertEquals("tiles", js("return window.infinitemap.mode"), "4 pixels a cell");
        assertEquals(1L, js("return window.infinitemap.tileCount"), "zoomed out the page holds no cells but the centre one");
        assertEquals(300001.0, ((Number) js("return window.infinitemap.camera.x")).doubleValue());
        // Road is dark grey (#3e3e42 to #5a5a5f), the page's ground #0d1117.
        await("the row drawn from the tiles", () -> ((Number) ((List<?>) js("return window.infinitemap.pixelAt(300000, 300000)")).get(0)).intValue() > 40);
        await("every tile loaded and drawn", () -> Boolean.TRUE.equals(js("return window.infinitemap.idle")));
        screenshot("viewer-zoomed-out");

        long frames = ((Number) js("return window.infinitemap.frames")).longValue();
        long revision = ((Number) js("return window.infinitemap.revision")).longValue();
        runtime.deploy("far-off-screen.manifest.json", TestManifests.row(900_000, 4, 900_000, "road.png"));
        await("the off-screen change received", () -> ((Number) js("return window.infinitemap.revision")).longValue() > revision);
        assertEquals(frames, ((Number) js("return window.infinitemap.frames")).longValue(), "nothing on screen changed: no frame drawn");

        browser.findElement(By.tagName("body")).sendKeys("+");
        assertEquals(8.0, ((Number) js("return window.infinitemap.camera.zoom")).doubleValue(), 1e-9, "+ doubles the zoom");
        await("the permalink following", () -> String.valueOf(js("return location.hash")).equals("#300001,300000,8"));
        browser.findElement(By.id("zoom-out")).click();
        assertEquals(4.0, ((Number) js("return window.infinitemap.camera.zoom")).doubleValue(), 1e-9, "the - button halves it");
        Files.delete(runtime.home.resolve("deploy/far.manifest.json"));
        Files.delete(runtime.home.resolve("deploy/far-off-screen.manifest.json"));
    }

    /** The page holds the cells around the screen, not the map: it asks for others as the camera moves. */
    @Test
    void thePageHoldsOnlyTheCellsAroundTheScreenAndAsksForMoreAsTheCameraMoves() throws Exception {
        runtime.deploy("near-far.manifest.json", ("{ \"layer\": 100, \"tiles\": { \"400000,400000\": {\"brick\": \"road.png\", \"timestamp\": 1},"
                + " \"500000,400000\": {\"brick\": \"grass.png\", \"timestamp\": 1} } }").getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the manifest applied", TIMEOUT, () -> runtime.log().contains("deploy/near-far.manifest.json applied"));
        browser.get(viewer() + "#400000,400000,32");
        await("the near cell on the page", () -> String.valueOf(js("return JSON.stringify(window.infinitemap.tileAt(400000, 400000))")).contains("road.png"));
        assertEquals("null", String.valueOf(js("return JSON.stringify(window.infinitemap.tileAt(500000, 400000))")), "a cell far off screen is not held");
        Map<?, ?> viewport = (Map<?, ?>) js("return window.infinitemap.viewport");
        long cells = (((Number) viewport.get("x1")).longValue() - ((Number) viewport.get("x0")).longValue() + 1)
                * (((Number) viewport.get("y1")).longValue() - ((Number) viewport.get("y0")).longValue() + 1);
        assertTrue(cells < 20_000, "the screen and half a screen around it, at 32 pixels a cell: " + viewport);

        js("window.infinitemap.moveTo(500000, 400000, 32)");
        await("the far cell once the camera is there", () -> String.valueOf(js("return JSON.stringify(window.infinitemap.tileAt(500000, 400000))")).contains("grass.png"));
        await("the near cell let go", () -> "null".equals(String.valueOf(js("return JSON.stringify(window.infinitemap.tileAt(400000, 400000))"))));
        // A change there after the move is live.
        runtime.deploy("near-far.manifest.json", "{ \"layer\": 100, \"tiles\": { \"500000,400000\": {\"brick\": \"road.png\", \"timestamp\": 2} } }"
                .getBytes(StandardCharsets.UTF_8));
        await("the change at the new place", () -> String.valueOf(js("return JSON.stringify(window.infinitemap.tileAt(500000, 400000))")).contains("road.png"));
        Files.delete(runtime.home.resolve("deploy/near-far.manifest.json"));
    }

    /** Hovering a cell shows what the map has there: brick, compositor, layer, timestamp, the tiles it covers; an empty cell says so. */
    @Test
    void theInspectorShowsTheTileUnderThePointer() throws Exception {
        runtime.deploy("inspect-under.manifest.json", "{ \"compositor\": \"beneath\", \"layer\": 7, \"tiles\": { \"600000,600000\": {\"brick\": \"grass.png\", \"timestamp\": 1} } }"
                .getBytes(StandardCharsets.UTF_8));
        runtime.deploy("inspect.manifest.json", "{ \"compositor\": \"inspected\", \"layer\": 100, \"tiles\": { \"600000,600000\": {\"brick\": \"road.png\", \"timestamp\": 1732400000.25} } }"
                .getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the manifests applied", TIMEOUT, () -> runtime.log().contains("deploy/inspect.manifest.json applied")
                && runtime.log().contains("deploy/inspect-under.manifest.json applied"));
        browser.get(viewer() + "#600000.5,600000.5,32"); // the cell's centre at the screen's centre
        await("the page live", () -> "live".equals(js("return window.infinitemap.connection")));
        WebElement inspector = browser.findElement(By.id("inspector"));
        int cx = ((Number) js("return Math.floor(window.innerWidth / 2)")).intValue();
        int cy = ((Number) js("return Math.floor(window.innerHeight / 2)")).intValue();
        new Actions(browser).moveToLocation(cx, cy).perform();
        await("the card about the cell", () -> inspector.isDisplayed() && inspector.getText().contains("cell 600000,600000"));
        String card = inspector.getText();
        assertTrue(card.contains("road.png") && card.contains("inspected · layer 100") && card.contains("timestamp 1732400000.25"), card);
        assertTrue(card.contains("covers 1 tile:") && card.contains("grass.png · beneath · layer 7"), "what it covers: " + card);
        screenshot("viewer-inspector");
        new Actions(browser).moveToLocation(cx + 64, cy).perform(); // two cells to the right: empty
        await("the card about the empty cell", () -> inspector.getText().contains("cell 600002,600000") && inspector.getText().contains("empty"));
        Files.delete(runtime.home.resolve("deploy/inspect.manifest.json"));
        Files.delete(runtime.home.resolve("deploy/inspect-under.manifest.json"));
    }

    /** The compositor list is a legend: each compositor's most used bricks as swatches, and a button fitting its tiles on the screen. */
    @Test
    void eachCompositorInTheListShowsItsBricksAndFitsItsTilesOnTheScreen() throws Exception {
        runtime.deploy("legend.manifest.json", ("{ \"compositor\": \"legend\", \"tiles\": { \"700000,700000\": {\"brick\": \"road.png\", \"timestamp\": 1},"
                + " \"700001,700000\": {\"brick\": \"road.png\", \"timestamp\": 1}, \"700019,700009\": {\"brick\": \"grass.png\", \"timestamp\": 1} } }")
                .getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the manifest applied", TIMEOUT, () -> runtime.log().contains("deploy/legend.manifest.json applied"));
        browser.get(viewer() + "#0,0,16");
        await("the page live", () -> "live".equals(js("return window.infinitemap.connection")));
        // The list is drawn again on every refresh: ask the page, not an element that may be replaced.
        String row = "document.querySelector(\"li[data-compositor='legend']\")";
        await("the legend's row with its Fit button", () -> Boolean.TRUE.equals(js("const r = " + row + "; return !!(r && r.querySelector('.fit-layer'))")));
        assertEquals(List.of("road.png: 2 tiles", "grass.png: 1 tiles"), js("return [..." + row + ".querySelectorAll('.swatches .swatch')].map(s => s.title)"),
                "most used first");
        screenshot("viewer-legend");
        js(row + ".querySelector('.fit-layer').click()");
        await("the camera on its tiles", () -> ((Number) js("return window.infinitemap.camera.x")).doubleValue() == 700010.0
                && ((Number) js("return window.infinitemap.camera.y")).doubleValue() == 700005.0);
        // 20 x 10 cells fill nine tenths of the screen's narrower fit.
        double zoom = ((Number) js("return window.infinitemap.camera.zoom")).doubleValue();
        double expected = ((Number) js("return 0.9 * Math.min(innerWidth / 20, innerHeight / 10)")).doubleValue();
        assertEquals(expected, zoom, 1e-9);
        Files.delete(runtime.home.resolve("deploy/legend.manifest.json"));

        // A jar that is no bundle at all is in the list too, with why.
        Path broken = runtime.deploy("viewer-broken.jar", "not a jar".getBytes(StandardCharsets.UTF_8));
        String unusable = "document.querySelector(\"li.unusable[data-file='deploy/viewer-broken.jar']\")";
        await("the broken jar listed", () -> String.valueOf(js("const r = " + unusable + "; return r ? r.textContent : ''")).contains("it is not a valid jar (zip) file"));
        screenshot("viewer-unusable");
        Files.delete(broken);
        await("the broken jar no longer listed", () -> Boolean.TRUE.equals(js("return " + unusable + " === null")));
    }

    /** The legend's checkbox hides a compositor, so what it covers shows, up close and zoomed out; Solo shows one alone, and pressed again all. */
    @Test
    void hidingACompositorShowsWhatItCoversAndSoloShowsOneAlone() throws Exception {
        runtime.deploy("hide-under.manifest.json", "{ \"compositor\": \"hide-under\", \"layer\": 7, \"tiles\": { \"800000,800000\": {\"brick\": \"grass.png\", \"timestamp\": 1} } }"
                .getBytes(StandardCharsets.UTF_8));
        runtime.deploy("hide-over.manifest.json", ("{ \"compositor\": \"hide-over\", \"layer\": 100, \"tiles\": { \"800000,800000\": {\"brick\": \"road.png\", \"timestamp\": 1},"
                + " \"800001,800000\": {\"brick\": \"road.png\", \"timestamp\": 1} } }").getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the manifests applied", TIMEOUT, () -> runtime.log().contains("deploy/hide-under.manifest.json applied")
                && runtime.log().contains("deploy/hide-over.manifest.json applied"));
        browser.get(viewer() + "#800000.5,800000.5,32");
        String tile = "return JSON.stringify(window.infinitemap.tileAt(800000, 800000))";
        String beside = "return JSON.stringify(window.infinitemap.tileAt(800001, 800000))";
        await("the cover on the page", () -> String.valueOf(js(tile)).contains("road.png"));
        String over = "document.querySelector(\"li[data-compositor='hide-over']\")";
        String under = "document.querySelector(\"li[data-compositor='hide-under']\")";
        await("both rows in the list", () -> Boolean.TRUE.equals(js("return !!(" + over + " && " + under + ")")));

        js(over + ".querySelector('.show-layer').click()");
        await("what the cover covered", () -> String.valueOf(js(tile)).contains("grass.png") && "null".equals(String.valueOf(js(beside))));
        assertEquals(List.of("hide-over"), js("return window.infinitemap.hidden"));
        await("the row marked hidden", () -> Boolean.TRUE.equals(js("return " + over + ".classList.contains('hidden-layer') && !" + over + ".querySelector('.show-layer').checked")));
        runtime.deploy("hide-under.manifest.json", "{ \"compositor\": \"hide-under\", \"layer\": 7, \"tiles\": { \"800000,800000\": {\"brick\": \"changed-under.png\", \"timestamp\": 2} } }"
                .getBytes(StandardCharsets.UTF_8));
        await("a change below the hidden cover, live", () -> String.valueOf(js(tile)).contains("changed-under.png"));
        screenshot("viewer-hidden-compositor");
        await("the hidden set in the permalink", () -> String.valueOf(js("return location.hash")).endsWith(";hide=hide-over"));
        browser.get(viewer() + "#800001.5,800000.5,32;hide=hide-over");
        browser.navigate().refresh();
        await("a fresh page from the permalink hides it too", () -> "live".equals(js("return window.infinitemap.connection"))
                && Boolean.TRUE.equals(js("return window.infinitemap.loaded")) && "null".equals(String.valueOf(js(beside))));
        assertEquals(List.of("hide-over"), js("return window.infinitemap.hidden"));
        await("its row marked hidden", () -> Boolean.TRUE.equals(js("const r = " + over + "; return !!r && r.classList.contains('hidden-layer')")));

        // Zoomed out the slippy tiles leave it out too: the cell only the cover has shows the page's ground.
        js("window.infinitemap.moveTo(800001.5, 800000.5, 4)");
        await("the tiles drawn without the cover", () -> Boolean.TRUE.equals(js("return window.infinitemap.idle"))
                && ((Number) ((List<?>) js("return window.infinitemap.pixelAt(800001, 800000)")).get(0)).intValue() < 40);
        assertTrue((Boolean) js("return performance.getEntriesByType('resource').some(e => /tiles\\/\\d+\\/\\d+\\/\\d+\\.png.*&hide=hide-over/.test(e.name))"),
                "the tiles asked for without the cover");
        js(over + ".querySelector('.show-layer').click()");
        await("the cover back in the tiles", () -> ((Number) ((List<?>) js("return window.infinitemap.pixelAt(800001, 800000)")).get(0)).intValue() > 40);

        js("window.infinitemap.moveTo(800000.5, 800000.5, 32)");
        await("the cover back", () -> String.valueOf(js(tile)).contains("road.png"));
        js(under + ".querySelector('.solo-layer').click()");
        await("the solo compositor alone", () -> String.valueOf(js(tile)).contains("changed-under.png") && "null".equals(String.valueOf(js(beside))));
        assertTrue(((List<?>) js("return window.infinitemap.hidden")).containsAll(List.of("hide-over", "clock")), "every other compositor hidden");
        await("solo pressed", () -> "true".equals(js("return " + under + ".querySelector('.solo-layer').getAttribute('aria-pressed')")));
        js(under + ".querySelector('.solo-layer').click()");
        await("every compositor shown again", () -> String.valueOf(js(tile)).contains("road.png"));
        assertEquals(List.of(), js("return window.infinitemap.hidden"));
        Files.delete(runtime.home.resolve("deploy/hide-over.manifest.json"));
        Files.delete(runtime.home.resolve("deploy/hide-under.manifest.json"));
    }

    /** Fit puts every tile of the map on the screen, from the bounds the runtime reports. */
    @Test
    void fitPutsTheWholeMapOnTheScreen() throws Exception {
        browser.get(viewer() + "#5000000,5000000,64");
        await("the page live", () -> "live".equals(js("return window.infinitemap.connection")));
        browser.findElement(By.id("fit")).click();
        await("the camera moved", () -> ((Number) js("return window.infinitemap.camera.zoom")).doubleValue() != 64);
        String status = runtime.body("/infinitemap/api/bounds");
        java.util.regex.Matcher b = java.util.regex.Pattern.compile("\"bounds\":\\{\"x0\":(-?\\d+),\"y0\":(-?\\d+),\"x1\":(-?\\d+),\"y1\":(-?\\d+)}").matcher(status);
        assertTrue(b.find(), status);
        // Every corner of the bounds on screen: (cell - centre) * zoom + half the window, inside the window.
        List<?> corners = (List<?>) js("const c = window.infinitemap.camera, w = innerWidth, h = innerHeight;"
                + "return [(" + b.group(1) + " - c.x) * c.zoom + w / 2, (" + b.group(2) + " - c.y) * c.zoom + h / 2,"
                + "(" + b.group(3) + " + 1 - c.x) * c.zoom + w / 2, (" + b.group(4) + " + 1 - c.y) * c.zoom + h / 2, w, h];");
        double[] p = corners.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        assertTrue(p[0] >= 0 && p[1] >= 0 && p[2] <= p[4] && p[3] <= p[5], "the bounds " + b.group() + " on screen: " + corners);
        assertTrue(p[2] - p[0] > p[4] / 2 || p[3] - p[1] > p[5] / 2, "and filling it: " + corners);
    }

    /** A pinch on a touch screen zooms (it used to pan); typed cells are jumped to. */
    @Test
    void aPinchZoomsAndTheJumpBoxGoesToACell() throws Exception {
        browser.get(viewer() + "#0,0,16");
        await("the page live", () -> "live".equals(js("return window.infinitemap.connection")));
        touch("touchStart", 540, 400, 740, 400);
        touch("touchMove", 490, 400, 790, 400);
        touch("touchMove", 440, 400, 840, 400);
        touch("touchEnd");
        double zoom = ((Number) js("return window.infinitemap.camera.zoom")).doubleValue();
        assertEquals(32.0, zoom, 0.5, "fingers twice as far apart: twice the zoom");

        browser.findElement(By.id("jump-to")).sendKeys("-1234,5678\n");
        assertEquals(-1233.5, ((Number) js("return window.infinitemap.camera.x")).doubleValue());
        assertEquals(5678.5, ((Number) js("return window.infinitemap.camera.y")).doubleValue());
    }

    /** On a phone the compositor panel starts closed and the connection state stays in sight. */
    @Test
    void onAPhoneThePanelStartsClosedAndOpensOnRequest() throws Exception {
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(viewer());
        await("the page live", () -> "live".equals(js("return window.infinitemap.connection")));
        assertFalse(browser.findElement(By.id("panel")).isDisplayed(), "closed under 600 px");
        assertTrue(browser.findElement(By.id("connection")).isDisplayed());
        screenshot("viewer-phone");
        browser.findElement(By.id("panel-toggle")).click();
        assertTrue(browser.findElement(By.id("panel")).isDisplayed());
        await("the compositors listed", () -> !browser.findElement(By.id("compositors")).getText().isEmpty());
        screenshot("viewer-phone-panel");
    }

    /** Touch points through Chromium's DevTools input, as a touch screen sends them. */
    private void touch(String type, int... xy) {
        List<Map<String, Object>> points = new java.util.ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) {
            points.add(Map.of("x", xy[i], "y", xy[i + 1], "id", i / 2));
        }
        browser.executeCdpCommand("Input.dispatchTouchEvent", Map.of("type", type, "touchPoints", points));
    }

    /** The example page: Leaflet, vendored into the bundle, showing the slippy tiles and asking again for the ones a change touches. */
    @Test
    void theLeafletPageShowsTheSlippyTilesAndRedrawsTheOneAChangeTouches() throws Exception {
        int cell = 200_000; // the top left cell of its zoom-29 tile, far from the samples
        long tile = ((long) cell + (1L << 31)) >> 3;
        browser.get(viewer() + "leaflet.html#" + cell + "," + cell + ",32"); // 32 pixels a cell: zoom 29
        await("the page live", () -> "live".equals(js("return window.infinitemapLeaflet && window.infinitemapLeaflet.connection")));
        await("the tiles loaded", () -> ((Number) js("return document.querySelectorAll('img.leaflet-tile-loaded').length")).intValue() > 0);
        String pixel = """
                const img = [...document.querySelectorAll('img.leaflet-tile-loaded')].find(i => i.src.includes('/29/%d/%d.png'));
                if (!img || !img.complete || img.naturalWidth !== 256) return -1;
                const c = document.createElement('canvas'); c.width = c.height = 256;
                const g = c.getContext('2d'); g.drawImage(img, 0, 0);
                return g.getImageData(10, 10, 1, 1).data[3];""".formatted(tile, tile);
        await("the empty tile shown", () -> ((Number) js(pixel)).intValue() == 0);
        assertEquals(0L, js("return [...document.scripts].filter(s => s.src && !s.src.startsWith(location.origin)).length"), "nothing from elsewhere");

        runtime.deploy("leaflet.manifest.json", TestManifests.row(cell, 1, cell, "road.png"));
        await("the changed tile asked for again and drawn", () -> ((Number) js(pixel)).intValue() == 255);
        screenshot("leaflet");
        Files.delete(runtime.home.resolve("deploy/leaflet.manifest.json"));
        await("the removal drawn", () -> ((Number) js(pixel)).intValue() == 0);
    }

    private String viewer() {
        return "http://127.0.0.1:" + runtime.port + "/infinitemap/";
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    // A script error (the page's window.infinitemap not defined yet) is a condition not met yet;
    // if it lasts, the message says what page the browser has.
    private void await(String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, TIMEOUT).ignoring(org.openqa.selenium.JavascriptException.class)
                .withMessage(() -> what + " (the browser has " + browser.getCurrentUrl() + ": " + pageText() + ")")
                .until(driver -> condition.getAsBoolean());
    }

    private String pageText() {
        try {
            String text = String.valueOf(js("return document.title + ' | ' + (document.body ? document.body.innerText : '')"));
            return text.length() > 300 ? text.substring(0, 300) + "..." : text;
        } catch (RuntimeException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private void screenshot(String name) throws Exception {
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
