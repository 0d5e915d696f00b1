package dev.infinitemap.web.socket;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One WebSocket client: a bounded queue of outgoing messages with at most one send in flight,
 * so a slow client only ever fills its own queue. A client whose queue would overflow is told
 * it fell behind and gets a snapshot instead of the changes it missed. While it catches up
 * (after joining with {@code ?since=} or after falling behind), live changes are held and
 * those newer than the catch-up follow it, so it misses nothing and sees nothing twice.
 * Public only because Jetty calls its listener methods.
 */
public final class Client implements Session.Listener.AutoDemanding {

    private final MapFeed feed;
    private final boolean batch;
    private final int limit;
    private final Long since;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final List<RenderedChange> held = new ArrayList<>();
    private volatile Session session;
    private volatile long lastHeard = System.nanoTime();
    private long lastRevision;
    private boolean catchingUp;
    private boolean heldOverflow;
    private boolean sending;
    private boolean pumping;

    Client(MapFeed feed, boolean batch, int limit, Long since) {
        this.feed = feed;
        this.batch = batch;
        this.limit = limit;
        this.since = since;
        this.catchingUp = since != null;
        this.lastRevision = since == null ? Long.MIN_VALUE : since;
    }

    boolean isBatch() {
        return batch;
    }

    long lastHeardNanos() {
        return lastHeard;
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        this.session = opened;
        feed.join(this, since);
    }

    @Override
    public void onWebSocketText(String message) {
        lastHeard = System.nanoTime();
        feed.received(this, message);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        feed.leave(this);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        feed.leave(this);
    }

    /** Offers a live change: queued, held while catching up, or skipped when already covered. */
    void offer(RenderedChange change) {
        synchronized (this) {
            if (change.revision() <= lastRevision) {
                return;
            }
            if (catchingUp) {
                if (held.size() < limit) {
                    held.add(change);
                } else {
                    heldOverflow = true;
                }
                return;
            }
            enqueue(change);
        }
        pump();
    }

    /** Queues a message that is not a map change (heartbeat, camera, error reply). */
    void send(String message) {
        synchronized (this) {
            if (queue.size() >= limit) {
                return; // a client this far behind gets a snapshot anyway; the notice can wait
            }
            queue.add(message);
        }
        pump();
    }

    /** Installs what the client missed: a list of changes, or a snapshot message at a revision. */
    void caughtUp(List<RenderedChange> changes, String snapshot, long snapshotRevision) {
        boolean again;
        synchronized (this) {
            if (snapshot != null) {
                queue.add(snapshot);
                lastRevision = snapshotRevision;
            } else {
                for (RenderedChange change : changes) {
                    if (change.revision() > lastRevision) {
                        add(change);
                    }
                }
            }
            // Changes that came meanwhile follow, unless too many came: then another snapshot.
            again = heldOverflow;
            heldOverflow = false;
            if (!again) {
                catchingUp = false;
                for (RenderedChange change : held) {
                    if (catchingUp) {
                        break; // one of them overflowed the queue: enqueue asked for a snapshot
                    }
                    if (change.revision() > lastRevision) {
                        enqueue(change);
                    }
                }
            }
            held.clear();
        }
        if (again) {
            feed.catchUp(this, null);
        }
        pump();
    }

    /** Closes the connection with a WebSocket status code and a reason. */
    void close(int status, String reason) {
        Session current = session;
        if (current != null && current.isOpen()) {
            current.close(status, reason, Callback.NOOP);
        }
    }

    // Holds the lock. Queues a change, or falls behind when it would overflow the queue.
    private void enqueue(RenderedChange change) {
        int size = batch ? 1 : change.cellCount();
        if (queue.size() + size > limit) {
            queue.clear();
            queue.add("{\"type\":\"resync\",\"message\":\"this client fell behind by more than " + limit
                    + " messages; a snapshot of the map follows\"}");
            catchingUp = true;
            feed.catchUp(this, null);
            return;
        }
        add(change);
    }

    private void add(RenderedChange change) {
        lastRevision = change.revision();
        if (batch) {
            queue.add(change.batchMessage());
        } else {
            for (String message : change.cellMessages()) {
                queue.add(message);
            }
        }
    }

    // One send in flight; a send that completes at once continues this loop instead of recursing.
    private void pump() {
        Session current = session;
        if (current == null) {
            return;
        }
        synchronized (this) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        while (true) {
            String next;
            synchronized (this) {
                if (sending || queue.isEmpty()) {
                    pumping = false;
                    return;
                }
                sending = true;
                next = queue.poll();
            }
            current.sendText(next, Callback.from(this::sent, this::failed));
        }
    }

    private void sent() {
        synchronized (this) {
            sending = false;
        }
        pump();
    }

    private void failed(Throwable cause) {
        synchronized (this) {
            sending = false;
            queue.clear();
        }
        close(1011, "send failed");
        feed.leave(this);
    }
}
