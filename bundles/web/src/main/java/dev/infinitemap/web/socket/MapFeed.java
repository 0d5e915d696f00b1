package dev.infinitemap.web.socket;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.websocket.api.Session;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.PlacedTile;
import dev.infinitemap.web.Json;
import dev.infinitemap.web.LegacyListener;
import dev.infinitemap.web.Origins;

/**
 * Fans map changes out to every WebSocket client. The map's listener only queues a change; one
 * fan-out thread renders it once per form and offers it to each client's own bounded queue, so
 * neither the map nor other clients ever wait for a slow client. Catching a client up (its
 * {@code ?since=} backlog or a snapshot) runs on a thread of its own; a snapshot is rendered
 * once and shared by every client that needs one, followed by the changes made since it.
 * <p>
 * Memory is bounded: each client's queue by {@code clientBufferBytes}, everything waiting for
 * all clients by {@code allClientsBufferBytes} (over it, the clients that have waited longest
 * for a read are closed with 1013), the number of clients by {@code maxClients}. Cameras are
 * passed on at most {@code cameraUpdatesPerSecond} per sender, the latest winning.
 */
@Component(service = MapFeed.class, configurationPid = MapFeed.PID)
@Designate(ocd = SocketConfig.class)
public class MapFeed {

    static final String PID = Origins.PID;

    /**
     * A client that has not taken a fragment for this long is not reading. Long enough that a
     * reader pausing for a garbage collection or a network hiccup on a busy machine is not it.
     */
    static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(3);

    /** Tiles in one {@code viewport} message: a browser parses one in a few milliseconds. */
    static final int VIEWPORT_PART_TILES = 10_000;

    private final InfiniteMap map;
    private final Logger log;
    private volatile SocketConfig config;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final LinkedBlockingQueue<MapChange> changes = new LinkedBlockingQueue<>();
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong overRate = new AtomicLong();
    private final AtomicLong tooSlow = new AtomicLong();
    private final AtomicBoolean closingStalled = new AtomicBoolean();
    private final Thread fanOut;
    private final ThreadPoolExecutor catchUps;
    private final ScheduledExecutorService timers;
    private final AutoCloseable subscription;
    private final LegacyMap legacy; // null when the legacy mode is off
    private ScheduledFuture<?> heartbeat;
    // Cameras are passed on in one pass per slot of the bounded rate, scheduled when one arrives:
    // no timer runs while nobody moves.
    private final AtomicBoolean cameraPassQueued = new AtomicBoolean();
    private volatile long cameraPeriodNanos;
    private volatile long lastCameraPass = System.nanoTime() - TimeUnit.SECONDS.toNanos(1); // nanoTime may be negative
    // Catch-up thread only: the last snapshot while any client holds it, and the changes rendered
    // for the current run of catch-ups, so that clients catching up together share them.
    private WeakReference<SharedSnapshot> lastSnapshot = new WeakReference<>(null);
    private final Map<Long, RenderedChange> rendered = new HashMap<>();

    @Activate
    public MapFeed(@Reference InfiniteMap map, @Reference(service = LoggerFactory.class) Logger log, SocketConfig config, BundleContext context) {
        this.map = map;
        this.log = log;
        this.config = config;
        this.subscription = map.subscribe(changes::add);
        // Taken after subscribing: the fan-out skips the changes the snapshot already holds.
        this.legacy = context.getProperty(LegacyListener.PORT_PROPERTY) == null ? null : new LegacyMap(map.snapshot(), System.currentTimeMillis());
        this.fanOut = new Thread(this::fanOutLoop, "infinitemap-ws-fan-out");
        fanOut.setDaemon(true);
        fanOut.start();
        this.catchUps = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named("infinitemap-ws-catch-up"));
        this.timers = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(named("infinitemap-ws-timers"));
        schedule();
        timers.scheduleWithFixedDelay(this::reportRefusals, 10, 10, TimeUnit.SECONDS);
    }

    /** @return the map as Geometry OS clients see it, or empty when the legacy mode is off */
    Optional<LegacyMap.View> legacyView() {
        return legacy == null ? Optional.empty()
                : Optional.of(legacy.view(System.currentTimeMillis(), TimeUnit.SECONDS.toMillis(config.legacyTombstoneSeconds())));
    }

    // Connected clients are the feed's state: a new configuration applies to them (timing,
    // origins, budget) or to the next connections (their limits) and never closes them.
    @Modified
    void modified(SocketConfig newConfig) {
        SocketConfig before = config;
        config = newConfig;
        if (newConfig.heartbeatSeconds() != before.heartbeatSeconds() || newConfig.cameraUpdatesPerSecond() != before.cameraUpdatesPerSecond()) {
            schedule();
        }
    }

    private synchronized void schedule() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        int seconds = config.heartbeatSeconds();
        heartbeat = timers.scheduleAtFixedRate(this::heartbeat, seconds, seconds, TimeUnit.SECONDS);
        cameraPeriodNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, Math.min(1000, config.cameraUpdatesPerSecond()));
    }

    /** A client sent a camera: the next pass, at the next slot of the bounded rate, takes it. */
    void cameraArrived() {
        if (cameraPassQueued.compareAndSet(false, true)) {
            long wait = Math.max(0, lastCameraPass + cameraPeriodNanos - System.nanoTime());
            try {
                timers.schedule(() -> {
                    cameraPassQueued.set(false);
                    lastCameraPass = System.nanoTime();
                    passCamerasOn();
                }, wait, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the feed is stopping
            }
        }
    }

    @Deactivate
    void deactivate() throws Exception {
        subscription.close();
        fanOut.interrupt();
        timers.shutdownNow();
        catchUps.shutdownNow();
        for (Client client : clients) {
            client.close(1001, "the server is going away");
        }
        clients.clear();
    }

    /**
     * A new client, live from now or first everything after revision {@code since}; or, when
     * the feed has its maximum of clients, the reason to refuse it.
     */
    Object newClient(Client.Form form, Long since, Viewport viewport) {
        SocketConfig current = config;
        if (clients.size() >= current.maxClients()) {
            refused.incrementAndGet();
            return "the server has its maximum of " + current.maxClients() + " clients (maxClients); try again later";
        }
        Client.Limits limits = new Client.Limits(current.clientQueueLimit(), current.clientBufferBytes(), current.clientMessagesPerSecond());
        return new Client(this, form, limits, since, viewport);
    }

    void join(Client client) {
        clients.add(client);
    }

    void leave(Client client) {
        clients.remove(client);
        // A camera it sent within its rate was accepted: it still reaches the others, even when the
        // client is gone (closed for flooding, say) before the next pass.
        ClientMessage.Camera last = client.takeCamera();
        if (last != null) {
            passOn(client, last);
        }
    }

    /** Characters queued (positive) or sent or dropped (negative) for some client. */
    void buffered(long chars) {
        buffered.addAndGet(chars);
    }

    /** @return characters waiting for all clients together, shared snapshots counted once */
    long bufferedChars() {
        return buffered.get();
    }

    int clientCount() {
        return clients.size();
    }

    void overRate(Client client) {
        overRate.incrementAndGet();
    }

    void tooSlow(Client client) {
        tooSlow.incrementAndGet();
    }

    /** Drops the connection of a closed client that does not answer the close, so its socket goes too. */
    void disconnectLater(Session session) {
        try {
            timers.schedule(() -> {
                if (session.isOpen()) {
                    session.disconnect();
                }
            }, 10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            session.disconnect(); // shutting down
        }
    }

    /** Sends the client what it missed after {@code since}, or a snapshot when since is null or too old. */
    void catchUp(Client client, Long since, int generation) {
        catchUps.execute(() -> {
            if (!client.wants(generation)) {
                return;
            }
            try {
                Optional<List<MapChange>> backlog = since == null ? Optional.empty() : map.changesSince(since);
                List<RenderedChange> changes = backlog.map(this::render).filter(client::fits).orElse(null);
                if (changes != null) {
                    client.caughtUp(generation, null, changes);
                } else {
                    SharedSnapshot snapshot = lastSnapshot.get();
                    List<RenderedChange> bridge = snapshot == null ? null
                            : map.changesSince(snapshot.revision()).map(this::render).filter(client::fits).orElse(null);
                    if (bridge == null) {
                        snapshot = snapshot();
                        bridge = List.of();
                    }
                    client.caughtUp(generation, snapshot, bridge);
                }
            } catch (RuntimeException | OutOfMemoryError e) {
                log.error("Could not catch up WebSocket client {}: {}", client.remote(), e.toString(), e);
                client.close(1011, "could not catch up");
            } finally {
                if (catchUps.getQueue().isEmpty() || rendered.size() > 20_000) {
                    rendered.clear();
                }
            }
            enforceBudget();
        });
    }

    /**
     * Sends the client the cells of its viewport at one revision, in parts of at most
     * {@value #VIEWPORT_PART_TILES} tiles, so that no message is big to parse. A viewport moved
     * again before its turn is skipped.
     */
    void viewportCatchUp(Client client, Viewport viewport, int generation) {
        catchUps.execute(() -> {
            if (!client.wants(generation)) {
                return;
            }
            try {
                InfiniteMap.Snapshot cells = map.tiles(viewport.x0(), viewport.y0(), viewport.x1(), viewport.y1(), viewport.hidden());
                List<PlacedTile> tiles = cells.tiles();
                int parts = Math.max(1, (tiles.size() + VIEWPORT_PART_TILES - 1) / VIEWPORT_PART_TILES);
                List<String> messages = new ArrayList<>(parts);
                String hidden = viewport.hidesAny() ? ",\"hide\":" + Json.strings(new java.util.TreeSet<>(viewport.hidden())) : "";
                for (int part = 0; part < parts; part++) {
                    List<PlacedTile> slice = tiles.subList(part * VIEWPORT_PART_TILES, Math.min(tiles.size(), (part + 1) * VIEWPORT_PART_TILES));
                    StringBuilder out = new StringBuilder(160 + slice.size() * 64).append("{\"type\":\"viewport\",\"revision\":").append(cells.revision())
                            .append(",\"x0\":").append(viewport.x0()).append(",\"y0\":").append(viewport.y0())
                            .append(",\"x1\":").append(viewport.x1()).append(",\"y1\":").append(viewport.y1())
                            .append(",\"part\":").append(part + 1).append(",\"parts\":").append(parts)
                            .append(",\"total\":").append(tiles.size()).append(hidden).append(",\"tiles\":{");
                    messages.add(Json.tiles(out, slice, false).append("}}").toString());
                }
                client.viewportSent(generation, messages, cells.revision());
            } catch (RuntimeException | OutOfMemoryError e) {
                log.error("Could not send WebSocket client {} its viewport: {}", client.remote(), e.toString(), e);
                client.close(1011, "could not send the viewport");
            }
            enforceBudget();
        });
    }

    /** What a rectangle shows without some compositors, for a client whose viewport hides them. */
    List<PlacedTile> shownWithout(int x0, int y0, int x1, int y1, Set<String> hidden) {
        return map.tiles(x0, y0, x1, y1, hidden).tiles();
    }

    private SharedSnapshot snapshot() {
        rendered.clear();
        InfiniteMap.Snapshot snapshot = map.snapshot();
        StringBuilder out = new StringBuilder(64 + snapshot.tiles().size() * 64).append("{\"type\":\"snapshot\",\"revision\":")
                .append(snapshot.revision()).append(",\"tiles\":{");
        SharedSnapshot shared = new SharedSnapshot(snapshot.revision(), Json.tiles(out, snapshot.tiles(), false).append("}}").toString(), buffered);
        lastSnapshot = new WeakReference<>(shared);
        return shared;
    }

    private List<RenderedChange> render(List<MapChange> backlog) {
        List<RenderedChange> result = new ArrayList<>(backlog.size());
        for (MapChange change : backlog) {
            result.add(rendered.computeIfAbsent(change.revision(), revision -> new RenderedChange(change)));
        }
        return result;
    }

    /** Handles a message from a client: a heartbeat to answer, a camera to pass on, or an error reply. */
    void received(Client from, String text) {
        ClientMessage message;
        try {
            message = ClientMessage.parse(text);
        } catch (IOException | IllegalArgumentException e) {
            if (!from.isLegacy()) { // an old client knows no error message
                from.send(error(e.getMessage()));
            }
            return;
        }
        if (message instanceof ClientMessage.Camera camera) {
            from.camera(camera);
        } else if (message instanceof ClientMessage.View view) {
            if (!from.isLegacy()) { // the old protocol has no viewports
                from.moveViewport(view.viewport());
            }
        } else if (message instanceof ClientMessage.Heartbeat) {
            from.beat(heartbeatMessage(), true);
        }
    }

    static String error(String message) {
        return "{\"type\":\"error\",\"message\":" + Json.quote(message) + "}";
    }

    private void passCamerasOn() {
        for (Client from : clients) {
            ClientMessage.Camera camera = from.takeCamera();
            if (camera != null) {
                passOn(from, camera);
            }
        }
        enforceBudget();
    }

    private void passOn(Client from, ClientMessage.Camera camera) {
        StringBuilder broadcast = new StringBuilder("{\"type\":\"camera_update\",\"x\":").append(Json.number(camera.x()))
                .append(",\"y\":").append(Json.number(camera.y())).append(",\"zoom\":").append(Json.number(camera.zoom()));
        optional(broadcast, "target_x", camera.targetX());
        optional(broadcast, "target_y", camera.targetY());
        optional(broadcast, "target_zoom", camera.targetZoom());
        String message = broadcast.append(",\"timestamp\":").append(Json.number(System.currentTimeMillis() / 1000.0)).append('}').toString();
        for (Client client : clients) {
            if (client != from) {
                client.send(message);
            }
        }
    }

    private static void optional(StringBuilder out, String field, Double value) {
        if (value != null) {
            out.append(",\"").append(field).append("\":").append(Json.number(value));
        }
    }

    private void fanOutLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            MapChange change;
            try {
                change = changes.take();
            } catch (InterruptedException e) {
                return;
            }
            LegacyMap.Stamp stamp = legacy == null ? null
                    : legacy.record(change, System.currentTimeMillis(), TimeUnit.SECONDS.toMillis(config.legacyTombstoneSeconds()));
            RenderedChange rendered = new RenderedChange(change, stamp);
            for (Client client : clients) {
                try {
                    client.offer(rendered);
                } catch (RuntimeException e) {
                    log.error("Could not queue revision {} for WebSocket client {}: {}", change.revision(), client.remote(), e.toString(), e);
                }
            }
            enforceBudget();
        }
    }

    /**
     * Over the budget for all clients, has those that have waited longest for a read, and at
     * least {@link #STALLED_NANOS}, closed until what waits is back under nine tenths of it: they
     * are the ones holding the memory, and clients that read are never among them. Checked after
     * each change and with every camera tick (20 times a second), so a stalled client is found
     * within three seconds and a little more. The closing happens on the timer thread: closing a
     * connection goes through Jetty, and the fan-out must never wait for that.
     */
    private void enforceBudget() {
        if (buffered.get() > budgetChars() && closingStalled.compareAndSet(false, true)) {
            try {
                timers.execute(() -> {
                    closingStalled.set(false);
                    closeStalled();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // deactivated
            }
        }
    }

    private void closeStalled() {
        long budget = budgetChars();
        if (buffered.get() <= budget) {
            return;
        }
        synchronized (buffered) {
            long before = buffered.get();
            if (before <= budget) {
                return;
            }
            long now = System.nanoTime();
            List<Client> waiting = new ArrayList<>();
            for (Client client : clients) {
                long since = client.waitingSinceNanos();
                if (since != 0 && now - since >= STALLED_NANOS) {
                    waiting.add(client);
                }
            }
            if (waiting.isEmpty()) {
                return; // only clients that read: a check at most 50 ms away finds those that stopped
            }
            waiting.sort(Comparator.comparingLong(Client::waitingSinceNanos));
            int closed = 0;
            String example = null;
            for (Client client : waiting) {
                if (buffered.get() <= budget / 10 * 9) {
                    break;
                }
                if (example == null) {
                    example = client.remote() + ", which had read nothing for " + client.secondsWaiting(now) + " s";
                }
                client.close(1013, "the server's buffers for clients are full; try again later");
                clients.remove(client);
                closed++;
            }
            log.warn("Closed {} WebSocket client(s) with 1013 (try again later), first {}: what waited for all clients came to {} MB, over their budget of {} MB (allClientsBufferBytes); now {} MB.",
                    closed, example, before >> 20, budget >> 20, buffered.get() >> 20);
        }
    }

    private long budgetChars() {
        long configured = config.allClientsBufferBytes();
        return configured > 0 ? configured : Runtime.getRuntime().maxMemory() / 4;
    }

    private void reportRefusals() {
        long full = refused.getAndSet(0);
        if (full > 0) {
            log.warn("Refused {} WebSocket connection(s) in the last 10 s with 1013: the feed has its maximum of {} clients (maxClients in deploy/{}.cfg).",
                    full, config.maxClients(), PID);
        }
        long fast = overRate.getAndSet(0);
        if (fast > 0) {
            log.warn("Closed {} WebSocket client(s) in the last 10 s with 1008: they sent more than {} messages a second (clientMessagesPerSecond).",
                    fast, config.clientMessagesPerSecond());
        }
        long slow = tooSlow.getAndSet(0);
        if (slow > 0) {
            log.warn("Closed {} WebSocket client(s) in the last 10 s with 1013: each fell behind by more than its buffer (clientBufferBytes {} KiB) "
                    + "while it was not reading (its snapshot, or for a Geometry OS client, the changes).",
                    slow, config.clientBufferBytes() >> 10);
        }
    }

    private String heartbeatMessage() {
        return "{\"type\":\"heartbeat\",\"timestamp\":" + System.currentTimeMillis() / 1000 + "}";
    }

    private void heartbeat() {
        SocketConfig config = this.config;
        long now = System.nanoTime();
        long idle = TimeUnit.SECONDS.toNanos(config.idleSeconds());
        String beat = heartbeatMessage();
        for (Client client : clients) {
            if (now - client.lastHeardNanos() > idle) {
                client.close(1000, "no message for " + config.idleSeconds() + " s");
                clients.remove(client);
            } else {
                client.beat(beat, false);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
