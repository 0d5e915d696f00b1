package dev.infinitemap.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a batch WebSocket client sees of one row written by a {@link ContinuousWriter}: the
 * version the row shows after each delta, when each version first showed, and any state that
 * was never a version on disk (cells of two versions, or not all cells).
 */
final class RowView {

    private static final Pattern TILE = Pattern.compile("\"(-?\\d+),(-?\\d+)\":\\{\"brick\":\"v(\\d+)\\.png\"");
    private static final Pattern REMOVED = Pattern.compile("\"removed\":\\[([^\\]]*)]");
    private static final Pattern KEY = Pattern.compile("\"(-?\\d+),(-?\\d+)\"");

    private final int y;
    private final Map<Integer, Integer> cells = new HashMap<>();
    /** Version to the time it first showed (System.nanoTime). */
    final Map<Integer, Long> shownNanos = new ConcurrentHashMap<>();
    volatile String neverOnDisk;
    volatile int newest;

    RowView(int y) {
        this.y = y;
    }

    /** Connects a batch client of the feed that gives every message to this view as it arrives. */
    WebSocket connect(int port) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/infinitemap/ws?mode=batch"),
                        new ViewerBenchmark.Listener(text -> accept(text, System.nanoTime())))
                .get(10, TimeUnit.SECONDS);
    }

    /** Takes one feed message; only {@code manifest_update}s touching the row count. */
    synchronized void accept(String message, long nowNanos) {
        if (!message.startsWith("{\"type\":\"manifest_update\"")) {
            return;
        }
        boolean touched = false;
        Matcher tile = TILE.matcher(message);
        while (tile.find()) {
            if (Integer.parseInt(tile.group(2)) == y) {
                cells.put(Integer.parseInt(tile.group(1)), Integer.parseInt(tile.group(3)));
                touched = true;
            }
        }
        Matcher removed = REMOVED.matcher(message);
        if (removed.find()) {
            Matcher key = KEY.matcher(removed.group(1));
            while (key.find()) {
                if (Integer.parseInt(key.group(2)) == y) {
                    cells.remove(Integer.parseInt(key.group(1)));
                    touched = true;
                }
            }
        }
        if (!touched || cells.isEmpty()) {
            return;
        }
        int version = cells.values().iterator().next();
        if (cells.size() != ContinuousWriter.CELLS || cells.values().stream().anyMatch(v -> v != version)) {
            neverOnDisk = "the row showed " + cells.size() + " cells of versions " + new java.util.TreeSet<>(cells.values());
            return;
        }
        shownNanos.putIfAbsent(version, nowNanos);
        newest = Math.max(newest, version);
    }
}
