package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebSocket feed against clients that never read, ask for the whole map all at once, flood
 * it, or send what it does not speak: memory stays within its budgets and the clients that
 * behave are not held up.
 */
class HostileClientsIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_CLIENTS = 100;
    static final long BUDGET = 48L << 20;

    @TempDir
    static Path dir;

    static RuntimeProcess runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = new RuntimeProcess(dir);
        // Queues per client large enough that only the budget for all clients together limits
        // them; clients silent for two minutes still stay, as the stalled ones here send nothing.
        Files.writeString(runtime.home.resolve("deploy/dev.infinitemap.web.socket.cfg"), "heartbeatSeconds=1\nidleSeconds=120\n"
                + "clientQueueLimit=1000000\nclientBufferBytes=67108864\nallClientsBufferBytes=" + BUDGET + "\nmaxClients=" + MAX_CLIENTS + "\n");
        runtime.start();
    }

    @AfterAll
    static void stop() throws Exception {
        assertEquals(0, runtime.stop());
    }

    @Test
    void clientsAskingForTheWholeMapShareOneSnapshotInsteadOfACopyEach() throws Exception {
        try (WsClient reader = new WsClient(runtime.port, "?mode=batch")) {
            runtime.deploy("shared.manifest.json", TestManifests.row(0, 50_000, 20_000, "s.png"));
            reader.next(m -> m.contains("\"49999,20000\""), TIMEOUT);
        }
        long before = runtime.heapAfterGc();
        List<WebSocket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                stalled.add(WsClient.stalled(runtime.port, "?since=0"));
            }
            // Catch-ups run in order: once the last client has its snapshot, all 60 have theirs.
            try (WsClient last = new WsClient(runtime.port, "?since=0")) {
                String snapshot = last.next(m -> m.startsWith("{\"type\":\"snapshot\""), TIMEOUT);
                assertTrue(snapshot.contains("\"0,20000\":") && snapshot.contains("\"49999,20000\":"), "the snapshot is whole");
                long grown = runtime.heapAfterGc() - before;
                System.out.printf("61 clients of a 50,000-tile map (snapshot %d kB) asked for it at once: heap after GC grew by %d kB%n",
                        snapshot.length() / 1024, grown / 1024);
                // A copy per client would be 60 x 4 MB and more; one shared snapshot is 4 MB.
                assertTrue(grown < 40L << 20, "heap after GC grew by " + (grown >> 20) + " MB for 61 clients of one snapshot");
            }
        } finally {
            stalled.forEach(WebSocket::abort);
            Files.delete(runtime.home.resolve("deploy/shared.manifest.json"));
        }
    }

    @Test
    void overTheBudgetForAllClientsThoseThatReadNothingAreClosedWith1013AndAReaderKeepsUp() throws Exception {
        List<WebSocket> stalled = new ArrayList<>();
        try (WsClient reader = new WsClient(runtime.port, "?mode=batch")) {
            for (int i = 0; i < 8; i++) {
                stalled.add(WsClient.stalled(runtime.port, ""));
            }
            // About 17 MB of per-cell messages for each stalled client: 8 of them are well over 48 MB.
            for (int f = 0; f < 4; f++) {
                runtime.deploy("budget-" + f + ".manifest.json", TestManifests.row(f * 50_000, 50_000, 21_000, "b.png"));
            }
            // The four files reach the map in any order (FileInstall and the watch race).
            java.util.Set<Integer> missing = new java.util.HashSet<>(List.of(0, 1, 2, 3));
            while (!missing.isEmpty()) {
                String update;
                try {
                    update = reader.next(m -> m.contains(",21000\""), TIMEOUT);
                } catch (AssertionError e) {
                    String log = runtime.log();
                    throw new AssertionError("manifests " + missing + " did not reach the reader; the runtime's log ends:\n"
                            + log.substring(Math.max(0, log.length() - 4000)), e);
                }
                missing.removeIf(f -> update.contains("\"" + (f * 50_000 + 49_999) + ",21000\""));
            }
            RuntimeProcess.awaitCondition("a log line about clients closed with 1013", TIMEOUT,
                    () -> runtime.log().contains("WebSocket client(s) with 1013 (try again later)"));
            assertTrue(runtime.log().contains("over their budget of 48 MB (allClientsBufferBytes)"), runtime.log());
            reader.send("{\"type\":\"heartbeat\",\"timestamp\":1}");
            reader.next(m -> m.contains("\"type\":\"heartbeat\""), TIMEOUT);
            assertFalse(reader.closed.isDone(), "the client that reads stays connected");
        } finally {
            stalled.forEach(WebSocket::abort);
            for (int f = 0; f < 4; f++) {
                Files.delete(runtime.home.resolve("deploy/budget-" + f + ".manifest.json"));
            }
        }
    }

    @Test
    void aClientBeyondTheMaximumIsClosedWith1013AndAReasonAndAPlaceThatFreesUpIsTakenAgain() throws Exception {
        List<WsClient> open = new ArrayList<>();
        WsClient refused = null;
        try {
            // Clients of other tests may still be leaving: connect until the feed is full.
            while (refused == null && open.size() <= MAX_CLIENTS) {
                WsClient client = new WsClient(runtime.port, "");
                RuntimeProcess.awaitCondition("a heartbeat or a close", TIMEOUT, () -> client.closed.isDone() || !client.messages.isEmpty());
                if (client.closed.isDone()) {
                    refused = client;
                } else {
                    open.add(client);
                }
            }
            assertTrue(refused != null, "the " + (MAX_CLIENTS + 1) + "th client is refused");
            assertEquals(1013, refused.closed.get(10, TimeUnit.SECONDS));
            assertTrue(refused.closeReason.contains("maximum of " + MAX_CLIENTS + " clients"), refused.closeReason);
            RuntimeProcess.awaitCondition("a log line about the refusal", TIMEOUT, () -> runtime.log().contains("the feed has its maximum of 100 clients"));

            open.remove(0).close();
            RuntimeProcess.awaitCondition("a client accepted again", TIMEOUT, () -> {
                try {
                    // The freed place is free once the server has seen the close: until then a try is refused at once.
                    WsClient again = new WsClient(runtime.port, "");
                    RuntimeProcess.awaitCondition("a heartbeat or a close", TIMEOUT, () -> again.closed.isDone() || !again.messages.isEmpty());
                    boolean accepted = !again.closed.isDone();
                    if (accepted) {
                        open.add(again);
                    } else {
                        again.close();
                    }
                    return accepted;
                } catch (Exception | AssertionError e) {
                    return false;
                }
            });
        } finally {
            open.forEach(WsClient::close);
            if (refused != null) {
                refused.close();
            }
        }
    }

    @Test
    void aCameraFloodFromOneClientReachesOthersCoalescedDelaysNoEditAndClosesTheFlooderWith1008() throws Exception {
        List<WsClient> viewers = new ArrayList<>();
        try (WsClient flooder = new WsClient(runtime.port, "")) {
            for (int i = 0; i < 20; i++) {
                WsClient viewer = new WsClient(runtime.port, "");
                // A heartbeat answered proves the runtime has joined the viewer to the feed.
                viewer.send("{\"type\":\"heartbeat\",\"timestamp\":1}");
                viewer.next(m -> m.contains("\"type\":\"heartbeat\""), TIMEOUT);
                viewers.add(viewer);
            }
            AtomicInteger sent = new AtomicInteger();
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                try {
                    while (sent.get() < 20_000) {
                        flooder.send("{\"type\":\"camera_update\",\"x\":" + sent.incrementAndGet() + ",\"y\":0,\"zoom\":1}");
                    }
                } catch (Exception e) {
                    // the server closed the flooder
                }
            });
            runtime.deploy("flood.manifest.json", "{ \"9300,0\": {\"brick\": \"f.png\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
            int cameras = 0;
            for (WsClient viewer : viewers) {
                viewer.next(m -> m.contains("\"x\":9300"), TIMEOUT);
            }
            // Closed with 1008; a flooder that is still writing when the server gives up waiting
            // for its answer to the close sees the connection drop instead.
            Integer code = flooder.closed.handle((status, error) -> status).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(code == null || code == 1008, "closed with " + code);
            // A clean close follows the error that says why. A connection that failed instead (the
            // JDK client, still writing, gives up on a write after the server's close) may lose what
            // was in flight to it: the server's own line then says why it closed the flooder.
            if (code != null) {
                assertTrue(flooder.received.stream().anyMatch(m -> m.contains("\"type\":\"error\"") && m.contains("messages a second")),
                        "the flooder was told why: " + flooder.messages);
            }
            RuntimeProcess.awaitCondition("the log line about the flooder closed with 1008", TIMEOUT,
                    () -> runtime.log().contains("with 1008: they sent more than"));
            flood.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            // The flooder's last accepted camera is passed on even once it is gone; it may still be on its way.
            RuntimeProcess.awaitCondition("a camera passed on to the viewers", TIMEOUT, () -> viewers.stream().allMatch(viewer -> {
                synchronized (viewer.received) {
                    return viewer.received.stream().anyMatch(m -> m.contains("camera_update"));
                }
            }));
            for (WsClient viewer : viewers) {
                synchronized (viewer.received) {
                    cameras = Math.max(cameras, (int) viewer.received.stream().filter(m -> m.contains("camera_update")).count());
                }
                assertFalse(viewer.closed.isDone(), "a viewer stays connected");
            }
            System.out.printf("A flood of %d camera updates reached each of 20 viewers as at most %d%n", sent.get(), cameras);
            // Cameras pass on at most 20 times a second; the flood lasted well under a few seconds.
            assertTrue(sent.get() > 400 && cameras >= 1 && cameras < 60, sent.get() + " sent, up to " + cameras + " passed on to one viewer");
        } finally {
            viewers.forEach(WsClient::close);
            Files.delete(runtime.home.resolve("deploy/flood.manifest.json"));
        }
    }

    /**
     * Issue: the change log kept 10,000 deltas whatever their size, and the console's Events page
     * its last 250 events with every cell of each delta: after a flood of big deltas the heap
     * stayed full once the file was gone.
     */
    @Test
    void aFloodOfBigDeltasLeavesNoMoreThanTheChangeLogsBoundOnTheHeapOnceItsFileIsGone() throws Exception {
        long before = runtime.heapAfterGc();
        for (int write = 1; write <= 25; write++) {
            StringBuilder manifest = new StringBuilder("{");
            for (int x = 0; x < 40_000; x++) {
                manifest.append(x == 0 ? "" : ",").append('"').append(x).append(",22000\":{\"brick\":\"f.png\",\"timestamp\":").append(write).append('}');
            }
            runtime.deploy("big-deltas.manifest.json", manifest.append('}').toString().getBytes(StandardCharsets.UTF_8));
            int applied = write;
            RuntimeProcess.awaitCondition("write " + write + " applied", TIMEOUT,
                    () -> runtime.log().lines().filter(l -> l.contains("deploy/big-deltas.manifest.json applied")).count() >= applied);
        }
        Files.delete(runtime.home.resolve("deploy/big-deltas.manifest.json"));
        RuntimeProcess.awaitCondition("the file's tiles gone", TIMEOUT, () -> runtime.log().contains("deploy/big-deltas.manifest.json removed"));
        long grown = runtime.heapAfterGc() - before;
        System.out.printf("25 deltas of 40,000 cells, then the file deleted: heap after GC grew by %d MB%n", grown >> 20);
        // A million cells were changed (about 100 MB held before); the log holds at most 200,000 (about 40 MB).
        assertTrue(grown < 60L << 20, "heap after GC grew by " + (grown >> 20) + " MB");
    }

    @Test
    void aBinaryMessageGetsAnErrorReplyAndOneOver64KiBClosesTheConnectionWith1009() throws Exception {
        try (WsClient client = new WsClient(runtime.port, "")) {
            client.sendBinary(new byte[] { 1, 2, 3 });
            String reply = client.next(m -> m.contains("\"type\":\"error\""), TIMEOUT);
            assertTrue(reply.contains("binary messages are not understood"), reply);
            client.sendBinary(new byte[64 * 1024 + 1]);
            assertEquals(1009, client.closed.get(20, TimeUnit.SECONDS));
        }
    }
}
