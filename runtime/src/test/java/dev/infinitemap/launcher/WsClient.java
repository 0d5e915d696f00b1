package dev.infinitemap.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A JDK WebSocket client of the runtime's feed that records every text message and the close. */
final class WsClient implements WebSocket.Listener, AutoCloseable {

    // One client (one selector thread) for all stalled sockets: tests open hundreds.
    private static final HttpClient STALLED = HttpClient.newHttpClient();

    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    /** Every message received, also those {@link #next} dropped. */
    final java.util.List<String> received = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile String closeReason;
    private volatile boolean answering;
    private final StringBuilder partial = new StringBuilder();
    final WebSocket socket;

    WsClient(int port, String query) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/infinitemap/ws" + query), this).get(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String message = partial.toString();
            messages.add(message);
            received.add(message);
            partial.setLength(0);
            if (answering && message.startsWith("{\"type\":\"heartbeat\"")) {
                CompletableFuture.runAsync(() -> {
                    try {
                        send("{\"type\":\"heartbeat\",\"timestamp\":1}");
                    } catch (Exception e) {
                        // closed meanwhile
                    }
                });
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    /** From now on answers every heartbeat, as a browser's viewer does, so the runtime never finds it idle. */
    WsClient answeringHeartbeats() {
        answering = true;
        return this;
    }

    // One send at a time: the JDK client refuses a send while another is pending.
    synchronized void send(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    void sendBinary(byte[] data) throws Exception {
        socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
    }

    /** A client that never reads: its socket buffers fill, then what the runtime queues for it. */
    static WebSocket stalled(int port, String query) throws Exception {
        return STALLED.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/infinitemap/ws" + query),
                new WebSocket.Listener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    /** The first message (dropping those before it) that matches, within the timeout. */
    String next(Predicate<String> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String message = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no matching message within " + timeout.toSeconds() + " s"
                        + (closed.isDone() ? " (the connection was closed: " + closed.handle((code, error) -> code != null ? code + " " + closeReason : causes(error)).join() + ")" : "")
                        + ", " + received.size() + " messages received in all, " + partial.length() + " characters of one still coming");
            }
            if (matching.test(message)) {
                return message;
            }
        }
    }

    // The JDK client reports a protocol violation as a bare ProtocolException; the frame it refused is named in a cause.
    private static String causes(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            text.append(text.length() == 0 ? "" : " caused by ").append(t);
        }
        return text.toString();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
