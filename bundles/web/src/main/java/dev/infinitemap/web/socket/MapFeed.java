package dev.infinitemap.web.socket;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

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
import dev.infinitemap.web.Json;

/**
 * Fans map changes out to every WebSocket client. The map's listener only queues a change; one
 * fan-out thread renders it once per form and offers it to each client's own bounded queue, so
 * neither the map nor other clients ever wait for a slow client. Catching a client up (its
 * {@code ?since=} backlog or a snapshot) runs on a thread of its own.
 */
@Component(service = MapFeed.class, configurationPid = MapFeed.PID)
@Designate(ocd = SocketConfig.class)
public class MapFeed {

    static final String PID = "dev.infinitemap.web.socket";

    private final InfiniteMap map;
    private final Logger log;
    private volatile SocketConfig config;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final LinkedBlockingQueue<MapChange> changes = new LinkedBlockingQueue<>();
    private final Thread fanOut;
    private final ExecutorService catchUps;
    private final ScheduledExecutorService heartbeats;
    private final AutoCloseable subscription;
    private ScheduledFuture<?> heartbeat;

    @Activate
    public MapFeed(@Reference InfiniteMap map, @Reference(service = LoggerFactory.class) Logger log, SocketConfig config) {
        this.map = map;
        this.log = log;
        this.config = config;
        this.fanOut = new Thread(this::fanOutLoop, "infinitemap-ws-fan-out");
        fanOut.setDaemon(true);
        fanOut.start();
        this.catchUps = Executors.newSingleThreadExecutor(named("infinitemap-ws-catch-up"));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(named("infinitemap-ws-heartbeat"));
        scheduleHeartbeat();
        this.subscription = map.subscribe(changes::add);
    }

    // Connected clients are the feed's state: a new configuration applies to them (timing,
    // origins) or to the next connections (queue limit) and never closes them.
    @Modified
    void modified(SocketConfig newConfig) {
        int before = config.heartbeatSeconds();
        config = newConfig;
        if (newConfig.heartbeatSeconds() != before) {
            scheduleHeartbeat();
        }
    }

    private synchronized void scheduleHeartbeat() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        int seconds = config.heartbeatSeconds();
        heartbeat = heartbeats.scheduleAtFixedRate(this::heartbeat, seconds, seconds, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() throws Exception {
        subscription.close();
        fanOut.interrupt();
        heartbeats.shutdownNow();
        catchUps.shutdownNow();
        for (Client client : clients) {
            client.close(1001, "the server is going away");
        }
        clients.clear();
    }

    /** A new client: live from now, or first everything after revision {@code since}. */
    Client newClient(boolean batch, Long since) {
        return new Client(this, batch, config.clientQueueLimit(), since);
    }

    /**
     * Whether a browser page from {@code origin} may open the feed: pages served by this runtime
     * (the origin's host and port are the request's {@code Host}), the configured origins, or
     * any when {@code *} is configured. A request without an Origin comes from a program, not a
     * page another site could have opened, and is let in.
     */
    boolean originAllowed(String origin, String host) {
        if (origin == null) {
            return true;
        }
        for (String allowed : config.allowedOrigins()) {
            if (allowed.equals("*") || allowed.equalsIgnoreCase(origin)) {
                return true;
            }
        }
        try {
            URI uri = new URI(origin);
            String authority = uri.getAuthority();
            return authority != null && host != null && authority.equalsIgnoreCase(host)
                    && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    void join(Client client, Long since) {
        clients.add(client);
        if (since != null) {
            catchUp(client, since);
        }
    }

    void leave(Client client) {
        clients.remove(client);
    }

    /** Sends the client what it missed after {@code since}, or a snapshot when since is null or too old. */
    void catchUp(Client client, Long since) {
        catchUps.execute(() -> {
            try {
                Optional<List<MapChange>> backlog = since == null ? Optional.empty() : map.changesSince(since);
                if (backlog.isPresent() && messages(backlog.get(), client.isBatch()) <= config.clientQueueLimit()) {
                    List<RenderedChange> rendered = new ArrayList<>(backlog.get().size());
                    backlog.get().forEach(change -> rendered.add(new RenderedChange(change)));
                    client.caughtUp(rendered, null, 0);
                } else {
                    InfiniteMap.Snapshot snapshot = map.snapshot();
                    StringBuilder out = new StringBuilder(64 + snapshot.tiles().size() * 64).append("{\"type\":\"snapshot\",\"revision\":")
                            .append(snapshot.revision()).append(",\"tiles\":{");
                    client.caughtUp(null, Json.tiles(out, snapshot.tiles(), false).append("}}").toString(), snapshot.revision());
                }
            } catch (RuntimeException e) {
                log.error("Could not catch up a WebSocket client: {}", e.toString(), e);
                client.close(1011, "could not catch up");
            }
        });
    }

    /** Handles a message from a client: a heartbeat, a camera to broadcast, or an error reply. */
    void received(Client from, String text) {
        ClientMessage message;
        try {
            message = ClientMessage.parse(text);
        } catch (IOException | IllegalArgumentException e) {
            from.send("{\"type\":\"error\",\"message\":" + Json.quote(e.getMessage()) + "}");
            return;
        }
        if (message instanceof ClientMessage.Camera camera) {
            String broadcast = "{\"type\":\"camera_update\",\"x\":" + Json.number(camera.x()) + ",\"y\":" + Json.number(camera.y())
                    + ",\"zoom\":" + Json.number(camera.zoom()) + ",\"timestamp\":" + Json.number(System.currentTimeMillis() / 1000.0) + "}";
            for (Client client : clients) {
                if (client != from) {
                    client.send(broadcast);
                }
            }
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
            RenderedChange rendered = new RenderedChange(change);
            for (Client client : clients) {
                try {
                    client.offer(rendered);
                } catch (RuntimeException e) {
                    log.error("Could not queue revision {} for a WebSocket client: {}", change.revision(), e.toString(), e);
                }
            }
        }
    }

    private void heartbeat() {
        SocketConfig config = this.config;
        long now = System.nanoTime();
        long idle = TimeUnit.SECONDS.toNanos(config.idleSeconds());
        String beat = "{\"type\":\"heartbeat\",\"timestamp\":" + System.currentTimeMillis() / 1000 + "}";
        for (Client client : clients) {
            if (now - client.lastHeardNanos() > idle) {
                client.close(1000, "no message for " + config.idleSeconds() + " s");
                clients.remove(client);
            } else {
                client.send(beat);
            }
        }
    }

    private static long messages(List<MapChange> backlog, boolean batch) {
        long total = 0;
        for (MapChange change : backlog) {
            total += batch ? 1 : change.put().size() + change.removedCellCount();
        }
        return total;
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
