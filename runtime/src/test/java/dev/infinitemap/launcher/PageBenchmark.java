package dev.infinitemap.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The viewer page and the slippy tiles with a big map, against the assembled runtime, and a
 * Markdown table for BENCHMARKS.md:
 * <ul>
 * <li>slippy tiles over HTTP: cold (the first request for each of {@value #COLD_TILES} distinct
 * tiles across zooms 14 to 29, each drawn) and warm (one tile asked {@value #WARM_REQUESTS}
 * times, served from the kept image);</li>
 * <li>headless Chromium: a fresh page load to the whole map received and drawn, the JS heap,
 * the longest main-thread task, and the time each frame takes to draw while the camera pans
 * ({@value #PAN_FRAMES} frames) at zooms from 32 pixels a cell (each cell drawn) down to a
 * 64th of a pixel (slippy tiles below 16).</li>
 * </ul>
 * Run with {@code mvn -B -q install -DskipTests && mvn -B -q -pl runtime exec:java -Dbenchmark=PageBenchmark}
 * ({@code -Dside=N}: an N x N map, 949 by default, 900,601 tiles).
 */
public final class PageBenchmark {

    static final int COLD_TILES = 120;
    static final int WARM_REQUESTS = 400;
    static final int PAN_FRAMES = 240;
    static final int LOADS = 7;
    static final String[] COVERS = { "lava.png", "stone.png", "lava.png" };
    static final Duration TIMEOUT = Duration.ofSeconds(180);
    static final double[] ZOOMS = { 32, 16, 8, 2, 0.5, 1.0 / 64 };

    public static void main(String[] args) throws Exception {
        int side = Integer.getInteger("side", 949);
        Path work = Files.createTempDirectory("infinitemap-page-bench");
        try (RuntimeProcess runtime = new RuntimeProcess(work)) {
            runtime.env("INFINITEMAP_ADMIN_PASSWORD", "benchmark-password").start();
            long tiles = bigMap(runtime, side);
            System.out.printf(Locale.ROOT, "map of %,d tiles (%d x %d from 1000,1000), runtime %s%n%n", tiles, side, side, runtime.readyLine());
            System.out.println("| measurement | n | median | p95 | max |");
            System.out.println("|---|---|---|---|---|");
            slippyTiles(runtime, side);
            page(runtime, work, side);
        }
    }

    /** Drops an N x N manifest of four bricks and waits until the map holds it. */
    private static long bigMap(RuntimeProcess runtime, int side) throws Exception {
        runtime.deploy("big.manifest.json", manifest(side, new String[] { "grass.png", "road.png", "water.png", "sand.png" }, 0));
        long expected = (long) side * side;
        long[] tiles = new long[1];
        RuntimeProcess.awaitCondition("the big map applied", TIMEOUT, () -> {
            Matcher m = Pattern.compile("\"tiles\":(\\d+)").matcher(runtime.body("/infinitemap/api/status"));
            tiles[0] = m.find() ? Long.parseLong(m.group(1)) : 0;
            return tiles[0] >= expected;
        });
        return tiles[0];
    }

    /** An N x N manifest from cell 1000,1000 in one layer, the bricks in bands. */
    private static byte[] manifest(int side, String[] bricks, int layer) {
        StringBuilder out = new StringBuilder(side * side * 48).append("{\"layer\":").append(layer).append(",\"tiles\":{");
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                out.append(x + y == 0 ? "" : ",").append('"').append(1000 + x).append(',').append(1000 + y)
                        .append("\":{\"brick\":\"").append(bricks[(x / 7 + y / 5) % bricks.length]).append("\",\"timestamp\":1}");
            }
        }
        return out.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void slippyTiles(RuntimeProcess runtime, int side) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<String> cold = new ArrayList<>();
        for (int i = 0; cold.size() < COLD_TILES; i++) {
            int z = 14 + i % 16; // zooms 14..29
            int x = 1000 + (int) ((i * 7919L) % side);
            int y = 1000 + (int) ((i * 104_729L) % side);
            long cells = 1L << (32 - z);
            String path = z + "/" + ((x + (1L << 31)) / cells) + "/" + ((y + (1L << 31)) / cells);
            if (!cold.contains(path)) {
                cold.add(path);
            }
        }
        List<Double> coldMs = new ArrayList<>();
        for (String path : cold) {
            coldMs.add(timed(http, runtime, path));
        }
        row("slippy tile, cold (drawn), zooms 14-29", coldMs);
        List<Double> warmMs = new ArrayList<>();
        String warm = cold.get(cold.size() - 1);
        for (int i = 0; i < WARM_REQUESTS; i++) {
            warmMs.add(timed(http, runtime, warm));
        }
        row("slippy tile, warm (kept)", warmMs);
    }

    private static double timed(HttpClient http, RuntimeProcess runtime, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port + "/infinitemap/tiles/" + path + ".png")).build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        double ms = (System.nanoTime() - start) / 1e6;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + ": " + response.statusCode());
        }
        return ms;
    }

    private static void page(RuntimeProcess runtime, Path work, int side) throws Exception {
        ChromeDriver browser = Chromium.start(work.resolve("chromium"), "--enable-precise-memory-info");
        browser.manage().timeouts().scriptTimeout(TIMEOUT);
        try {
            double centre = 1000 + side / 2.0;
            for (int zoom : new int[] { 2, 32 }) { // slippy tiles, then cells
                List<Double> received = new ArrayList<>();
                List<Double> drawn = new ArrayList<>();
                for (int load = 0; load < LOADS; load++) {
                    browser.get("about:blank"); // a new page, not a new #hash on the same one
                    long start = System.nanoTime();
                    browser.get("http://127.0.0.1:" + runtime.port + "/infinitemap/#" + (int) centre + "," + (int) centre + "," + zoom);
                    new WebDriverWait(browser, TIMEOUT).until(d -> Boolean.TRUE.equals(browser.executeScript("return window.infinitemap && window.infinitemap.loaded")));
                    received.add((System.nanoTime() - start) / 1e6);
                    new WebDriverWait(browser, TIMEOUT).until(d -> Boolean.TRUE.equals(browser.executeScript("return window.infinitemap.idle")));
                    drawn.add((System.nanoTime() - start) / 1e6);
                }
                row("page load at " + zoom + " px a cell to its viewport received (ms)", received);
                row("page load at " + zoom + " px a cell to the map drawn (ms)", drawn);
            }
            browser.executeScript("window.longTasks = []; new PerformanceObserver((l) => l.getEntries().forEach((e) => window.longTasks.push(e.duration)))"
                    + ".observe({ type: 'longtask', buffered: true });");
            for (double zoom : ZOOMS) {
                pan(browser, centre, zoom);
            }
            List<Double> longTasks = numbers(browser, "window.longTasks");
            dropped(runtime, browser, side, centre);
            consoleTab(runtime, browser);
            row("main-thread tasks over 50 ms, load and pans (ms)", longTasks.isEmpty() ? List.of(0.0) : longTasks);
            row("JS heap used after the pans (MB)", List.of(number(browser, "performance.memory.usedJSHeapSize") / 1e6));
        } finally {
            browser.quit();
        }
    }

    /**
     * Drops a manifest covering the whole big map (a layer above it, one brick) with the page at 32
     * px a cell, and times from the moment the map answers with the new brick at the centre
     * (the HTTP API polled) to the page's next frame after it holds the new brick there.
     */
    private static void dropped(RuntimeProcess runtime, ChromeDriver browser, int side, double centre) throws Exception {
        browser.executeScript("window.infinitemap.moveTo(arguments[0], arguments[0], 32);", centre);
        new WebDriverWait(browser, TIMEOUT).until(d -> Boolean.TRUE.equals(browser.executeScript("return window.infinitemap.idle")));
        int cell = (int) centre;
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port + "/infinitemap/api/tiles?x0=" + cell + "&y0=" + cell
                + "&x1=" + cell + "&y1=" + cell)).build();
        List<Double> late = new ArrayList<>();
        for (String brick : COVERS) {
            browser.executeScript("""
                    const [cell, brick] = arguments;
                    window.paintedAt = null;
                    (function watch() {
                      const tile = window.infinitemap.tileAt(cell, cell);
                      if (tile && tile.brick === brick) requestAnimationFrame(() => { window.paintedAt = Date.now(); });
                      else requestAnimationFrame(watch);
                    })();""", cell, brick);
            runtime.deploy("cover.manifest.json", manifest(side, new String[] { brick }, 10));
            long applied;
            while (true) {
                String answer = http.send(probe, HttpResponse.BodyHandlers.ofString()).body();
                if (answer.contains(brick)) {
                    applied = System.currentTimeMillis();
                    break;
                }
                Thread.sleep(5); // the poll's resolution: the figure is at most this much too high
            }
            new WebDriverWait(browser, TIMEOUT).until(d -> browser.executeScript("return window.paintedAt") != null);
            late.add(((Number) browser.executeScript("return window.paintedAt")).doubleValue() - applied);
        }
        row(String.format(Locale.ROOT, "%,d-tile manifest dropped: map applied to first paint (ms)", (long) side * side), late);
    }

    /**
     * Opens the Web Console tab (a fresh page each time) and times it to its minimap painted:
     * more than 1,000 pixels other than the background. Long tasks are those of the last opening.
     */
    private static void consoleTab(RuntimeProcess runtime, ChromeDriver browser) {
        List<Double> painted = new ArrayList<>();
        for (int load = 0; load < LOADS; load++) {
            browser.get("about:blank");
            long start = System.nanoTime();
            browser.get("http://admin:benchmark-password@127.0.0.1:" + runtime.port + "/system/console/infinitemap");
            new WebDriverWait(browser, TIMEOUT).until(d -> number(browser, "(() => { const c = document.getElementById('im-minimap'); if (!c) return 0;"
                    + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                    + "for (let i = 0; i < d.length; i += 4) if (d[i] !== 13 || d[i + 1] !== 17 || d[i + 2] !== 23) n++; return n; })()") > 1000);
            painted.add((System.nanoTime() - start) / 1e6);
        }
        row("console tab opened to its minimap painted (ms)", painted);
        // Long tasks are only reported to an observer; buffered, it gets those since the page opened.
        List<Double> tasks = new ArrayList<>();
        for (Object t : (List<?>) browser.executeAsyncScript("const done = arguments[0], seen = [];"
                + "new PerformanceObserver((l) => l.getEntries().forEach((e) => seen.push(e.duration))).observe({ type: 'longtask', buffered: true });"
                + "requestAnimationFrame(() => requestAnimationFrame(() => done(seen)));")) {
            tasks.add(((Number) t).doubleValue());
        }
        row("console tab: main-thread tasks over 50 ms (ms)", tasks.isEmpty() ? List.of(0.0) : tasks);
    }

    /** Pans across the map one step a frame and reports the frames' draw times. */
    private static void pan(ChromeDriver browser, double centre, double zoom) {
        browser.executeScript("window.infinitemap.moveTo(arguments[0], arguments[0], arguments[1]);", centre, zoom);
        new WebDriverWait(browser, TIMEOUT).until(d -> Boolean.TRUE.equals(browser.executeScript("return window.infinitemap.idle")));
        Object done = browser.executeAsyncScript("""
                const [centre, zoom, frames, callback] = arguments;
                const before = window.infinitemap.drawTimes.length;
                const step = 7 / zoom; // 7 screen pixels a frame
                let n = 0;
                function next() {
                  if (n === frames) { callback(window.infinitemap.drawTimes.slice(-frames)); return; }
                  window.infinitemap.moveTo(centre + (n % 120 < 60 ? n % 60 : 60 - n % 60) * step, centre, zoom);
                  n++;
                  requestAnimationFrame(next);
                }
                requestAnimationFrame(next);""", centre, zoom, PAN_FRAMES);
        List<Double> times = new ArrayList<>();
        for (Object t : (List<?>) done) {
            times.add(((Number) t).doubleValue());
        }
        row(String.format(Locale.ROOT, "frame draw while panning, %s px a cell (%s)", zoom >= 1 ? String.valueOf((int) zoom) : "1/" + Math.round(1 / zoom),
                zoom < 16 ? "slippy tiles" : "cells"), times);
    }

    private static double number(ChromeDriver browser, String expression) {
        Object value = browser.executeScript("return " + expression);
        return value instanceof Number n ? n.doubleValue() : -1;
    }

    private static List<Double> numbers(ChromeDriver browser, String expression) {
        List<Double> out = new ArrayList<>();
        for (Object v : (List<?>) browser.executeScript("return " + expression)) {
            out.add(((Number) v).doubleValue());
        }
        return out;
    }

    private static void row(String what, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", what, sorted.size(), percentile(sorted, 50), percentile(sorted, 95),
                sorted.get(sorted.size() - 1));
    }

    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
