package dev.infinitemap.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Behaves as the Geometry OS browser client does (its infinite_map.js and compositor_client.js,
 * read, not copied): it knows only {@code tile_update}, {@code camera_update} and {@code heartbeat}
 * on the socket, answers every heartbeat, loads a cell from a {@code tile_update} whatever its
 * timestamp, and from its poll of the manifest only when the cell's timestamp grew; it never
 * removes a cell. When the socket closes it connects again. What it shows is {@link #cells}.
 */
final class OldGeometryClient implements WebSocket.Listener, AutoCloseable {

    private static final Pattern TYPE = Pattern.compile("\"type\":\"([^\"]*)\"");
    private static final Pattern UPDATE = Pattern.compile("\"x\":(-?\\d+),\"y\":(-?\\d+),\"brick\":\"([^\"]*)\",\"timestamp\":([0-9.]+)");
    private static final Pattern ENTRY = Pattern.compile("\"(-?\\d+,-?\\d+)\":\\{\"brick\":\"([^\"]*)\",\"timestamp\":([0-9.]+)}");

    /** A cell as the client shows it, and when it was loaded (System.nanoTime). */
    record Shown(String brick, double timestamp, long atNanos) {
    }

    final Map<String, Shown> cells = new ConcurrentHashMap<>();
    /** Message types it does not know (the old client logs and drops them). */
    final List<String> unknown = new CopyOnWriteArrayList<>();
    final List<String> cameras = new CopyOnWriteArrayList<>();
    final AtomicInteger tileUpdates = new AtomicInteger();
    final AtomicInteger heartbeats = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile boolean joined;
    private volatile boolean closing;

    /** A client with its socket and its poller. */
    OldGeometryClient(int legacyPort) {
        this(legacyPort, true);
    }

    /** @param socket false for a page that only polls */
    OldGeometryClient(int legacyPort, boolean socket) {
        this.base = "127.0.0.1:" + legacyPort;
        if (socket) {
            connect();
        } else {
            closing = true;
        }
    }

    private void connect() {
        http.newWebSocketBuilder().buildAsync(URI.create("ws://" + base + "/"), this).whenComplete((opened, failed) -> {
            if (failed != null) {
                reconnectLater();
            }
        });
    }

    private void reconnectLater() {
        if (!closing) {
            CompletableFuture.runAsync(this::connect, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
        }
    }

    // Unlike the old client, it says hello with a heartbeat: the answer shows the server has
    // joined it (the handshake can end on this side first), so a test knows changes will reach it.
    @Override
    public void onOpen(WebSocket webSocket) {
        joined = false;
        socket = webSocket;
        connections.incrementAndGet();
        webSocket.sendText("{\"type\":\"heartbeat\",\"timestamp\":" + System.currentTimeMillis() / 1000 + "}", true);
        webSocket.request(1);
    }

    /** @return whether it is connected now and the server has joined it */
    boolean connected() {
        WebSocket current = socket;
        return current != null && joined && !current.isInputClosed() && !current.isOutputClosed();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            handle(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    private void handle(String message) {
        joined = true;
        Matcher type = TYPE.matcher(message);
        String kind = type.find() ? type.group(1) : "(none)";
        switch (kind) {
            case "tile_update" -> {
                Matcher m = UPDATE.matcher(message);
                if (m.find()) {
                    cells.put(m.group(1) + "," + m.group(2), new Shown(m.group(3), Double.parseDouble(m.group(4)), System.nanoTime()));
                    tileUpdates.incrementAndGet();
                }
            }
            case "camera_update" -> cameras.add(message);
            case "heartbeat" -> {
                heartbeats.incrementAndGet();
                send("{\"type\":\"heartbeat\",\"timestamp\":" + System.currentTimeMillis() / 1000 + "}");
            }
            default -> unknown.add(message.length() > 200 ? message.substring(0, 200) : message);
        }
    }

    void send(String text) {
        WebSocket current = socket;
        if (current != null) {
            current.sendText(text, true);
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        socket = null;
        joined = false;
        reconnectLater();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        socket = null;
        joined = false;
        reconnectLater();
    }

    /** One poll of the manifest, as the old client makes every 2 s: a cell is loaded only when its timestamp grew. */
    void poll() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + base + "/builder/map/manifest.json?t="
                + System.currentTimeMillis())).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("manifest answered " + response.statusCode());
        }
        Matcher m = ENTRY.matcher(response.body());
        while (m.find()) {
            double timestamp = Double.parseDouble(m.group(3));
            Shown existing = cells.get(m.group(1));
            if (existing == null || existing.timestamp() < timestamp) {
                cells.put(m.group(1), new Shown(m.group(2), timestamp, System.nanoTime()));
            }
        }
    }

    /** @return the brick it shows at a cell, or null */
    String brickAt(int x, int y) {
        Shown shown = cells.get(x + "," + y);
        return shown == null ? null : shown.brick();
    }

    @Override
    public void close() {
        closing = true;
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
    }
}
