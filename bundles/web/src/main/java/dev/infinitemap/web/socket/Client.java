package dev.infinitemap.web.socket;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import dev.infinitemap.api.map.MapChange;

/**
 * One WebSocket client: a queue of outgoing messages bounded in messages and in characters,
 * with at most one send in flight, so a slow client only ever fills its own queue. Long
 * messages (snapshots) go out in fragments, so a client that does not read holds one fragment
 * and a reference to the shared snapshot, not a copy of it. A client whose queue would overflow
 * is told it fell behind and gets a snapshot instead of the changes it missed; one that
 * overflows again while it has stopped reading that snapshot is closed with 1013. While it catches up
 * (after joining with {@code ?since=} or after falling behind), live changes are held and those
 * newer than the catch-up follow it, so it misses nothing and sees nothing twice. A Geometry OS
 * client ({@link Form#LEGACY}) knows no snapshot: it takes each change whole while its queue is
 * under its limits and is closed with 1013 when it falls behind. Public only because Jetty calls
 * its listener methods.
 */
public final class Client implements Session.Listener.AutoDemanding {

    /** Characters per frame of a long message. */
    static final int FRAGMENT_CHARS = 16 * 1024;

    /** What one client may queue and send, fixed when it connects. */
    record Limits(int messages, long chars, int messagesPerSecond) {
    }

    /** The messages a client is sent for a change. */
    enum Form {
        /** {@code tile_update} and {@code tile_remove} per cell */
        CELLS,
        /** one {@code manifest_update} per change */
        BATCH,
        /**
         * Geometry OS clients: only {@code tile_update} (removals to a transparent brick),
         * {@code camera_update} and {@code heartbeat}; never an error, a resync or a snapshot
         */
        LEGACY
    }

    private final MapFeed feed;
    private final Form form;
    private final Limits limits;
    private final Long since;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    // Queued viewport parts: they count in the feed's budget, not in this client's, since a client
    // asked for them (a big viewport must not make it fall behind at its next change).
    private final Set<String> viewportParts = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<RenderedChange> held = new ArrayList<>();
    private volatile Session session;
    private volatile long lastHeard = System.nanoTime();
    private volatile long waitingSince; // when the send in flight started; 0 when none is
    private final AtomicReference<ClientMessage.Camera> camera = new AtomicReference<>(); // the latest not yet passed on
    private volatile long lastBeat; // when this client was last sent a heartbeat
    private double allowance;
    private long allowanceAt = System.nanoTime();
    private long lastRevision;
    private Viewport viewport; // null: the whole map
    private int generation; // of the latest catch-up: an older one that ends late is ignored
    private boolean catchingUp;
    private boolean heldOverflow;
    private int heldCells;
    private long queuedChars; // of queued live messages and the one being sent; snapshots count by themselves
    private SharedSnapshot queuedSnapshot;
    private SharedSnapshot sendingSnapshot;
    private String current; // the message being sent, fragment by fragment
    private int sentChars;
    private boolean sending;
    private boolean pumping;
    private boolean closed;
    private int closeStatus; // close with this once the queue is sent; 0: stay open
    private String closeReason;

    Client(MapFeed feed, Form form, Limits limits, Long since, Viewport viewport) {
        this.feed = feed;
        this.form = form;
        this.limits = limits;
        this.since = since;
        this.viewport = viewport;
        this.catchingUp = since != null || viewport != null;
        this.lastRevision = since == null ? Long.MIN_VALUE : since;
        this.allowance = 2.0 * limits.messagesPerSecond();
    }

    boolean isLegacy() {
        return form == Form.LEGACY;
    }

    long lastHeardNanos() {
        return lastHeard;
    }

    /** @return when the send in flight started (System.nanoTime), or 0 when nothing waits for this client */
    long waitingSinceNanos() {
        return waitingSince;
    }

    String remote() {
        Session current = session;
        return current == null ? "a client" : String.valueOf(current.getRemoteSocketAddress());
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        this.session = opened;
        feed.join(this);
        synchronized (this) {
            if (catchingUp) {
                restart(since);
            }
        }
    }

    @Override
    public void onWebSocketText(String message) {
        lastHeard = System.nanoTime();
        if (!withinRate()) {
            return;
        }
        feed.received(this, message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        lastHeard = System.nanoTime();
        if (withinRate() && !isLegacy()) {
            send(MapFeed.error("binary messages are not understood; send JSON text messages"));
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        release();
        feed.leave(this);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        release();
        feed.leave(this);
    }

    // A token bucket: the configured rate on average, twice that in a burst. A client over it is
    // told why, then closed; what it sends meanwhile is dropped.
    private boolean withinRate() {
        int rate = limits.messagesPerSecond();
        synchronized (this) {
            if (closeStatus != 0 || closed) {
                return false;
            }
            long now = System.nanoTime();
            allowance = Math.min(2.0 * rate, allowance + (now - allowanceAt) * rate / 1e9);
            allowanceAt = now;
            if (allowance >= 1) {
                allowance -= 1;
                return true;
            }
        }
        feed.overRate(this);
        finish(isLegacy() ? null : MapFeed.error("more than " + rate + " messages a second from this client (clientMessagesPerSecond); closing the connection"),
                1008, "too many messages");
        return false;
    }

    /**
     * Sends a heartbeat, unless one went out within the last second: a client that answers every
     * heartbeat and a server that answers every heartbeat would otherwise bounce them forever.
     */
    void beat(String heartbeat, boolean answer) {
        long now = System.nanoTime();
        if (answer && now - lastBeat < TimeUnit.SECONDS.toNanos(1)) {
            return;
        }
        lastBeat = now;
        send(heartbeat);
    }

    /** Remembers the client's latest camera; the feed passes it on at a bounded rate. */
    void camera(ClientMessage.Camera latest) {
        camera.set(latest);
        feed.cameraArrived();
    }

    /** @return the latest camera not yet passed on, or null */
    ClientMessage.Camera takeCamera() {
        return camera.getAndSet(null);
    }

    /** Offers a live change: queued, held while catching up, or skipped when already covered. */
    void offer(RenderedChange change) {
        synchronized (this) {
            if (closed || change.revision() <= lastRevision) {
                return;
            }
            if (catchingUp) {
                if (heldCells + change.cellCount() <= limits.messages()) {
                    held.add(change);
                    heldCells += change.cellCount();
                } else {
                    heldOverflow = true;
                }
                return;
            }
            deliver(change);
        }
        pump();
    }

    /**
     * Subscribes to a viewport instead of what the client had (the whole map or another
     * viewport): the cells in it follow, then the changes inside it.
     */
    void moveViewport(Viewport moved) {
        synchronized (this) {
            if (closed || closeStatus != 0) {
                return;
            }
            viewport = moved;
            restart(null);
        }
    }

    /** @return whether the catch-up of this generation is still wanted */
    synchronized boolean wants(int catchUp) {
        return !closed && catchUp == generation;
    }

    // Holds the lock. Starts catching up: a snapshot or the changes after since, or the viewport's
    // cells. What was held is dropped, as the catch-up reads the map after it came.
    private void restart(Long after) {
        catchingUp = true;
        held.clear();
        heldCells = 0;
        heldOverflow = false;
        generation++;
        if (viewport != null) {
            feed.viewportCatchUp(this, viewport, generation);
        } else {
            feed.catchUp(this, after, generation);
        }
    }

    // Holds the lock. A change for a client of the whole map, or its part inside the client's
    // viewport, preceded by the change's bounding box when some of it is outside.
    private void deliver(RenderedChange change) {
        if (viewport == null) {
            enqueue(change);
            return;
        }
        boolean hides = viewport.hidesAny();
        if (hides && viewport.hidden().contains(change.change().compositor())) {
            lastRevision = change.revision(); // none of its tiles show here, nor anything it uncovered
            return;
        }
        Viewport.Bounds box = hides ? change.boundsWithBelow() : change.bounds();
        if (hides && !viewport.cheapToSee(change.change(), box)) {
            restart(null); // its viewport again, read on the catch-up thread: too much to read here for every client
            return;
        }
        if (!viewport.covers(box)) {
            String area = change.areaMessage(hides);
            if (queue.size() >= limits.messages() || queuedChars + area.length() > limits.chars()) {
                fallBehind();
                return;
            }
            queueLive(area);
        }
        lastRevision = change.revision();
        MapChange inside = hides ? viewport.seenWithout(change.change(), box, feed::shownWithout) : viewport.within(change.change(), box);
        if (inside != null) {
            enqueue(inside == change.change() ? change : new RenderedChange(inside));
        }
    }

    /** Queues a message that is not a map change (heartbeat, camera, error reply). */
    void send(String message) {
        synchronized (this) {
            if (closed || queue.size() >= limits.messages() || queuedChars + message.length() > limits.chars()) {
                return; // a client this far behind gets a snapshot anyway; the notice can wait
            }
            queueLive(message);
        }
        pump();
    }

    /** @return whether these changes, sent one by one, fit in this client's queue */
    boolean fits(List<RenderedChange> changes) {
        long messages = 0;
        long chars = 0;
        for (RenderedChange change : changes) {
            messages += form == Form.BATCH ? 1 : change.cellCount();
            chars += change.chars(form);
        }
        return messages <= limits.messages() && chars <= limits.chars();
    }

    /**
     * Installs what the client missed: a snapshot (or null) and the changes after it, then the
     * live changes held meanwhile.
     */
    void caughtUp(int catchUp, SharedSnapshot snapshot, List<RenderedChange> changes) {
        synchronized (this) {
            if (closed || catchUp != generation) {
                return;
            }
            if (snapshot != null) {
                snapshot.hold();
                queuedSnapshot = snapshot;
                queue.add(snapshot.message());
                lastRevision = snapshot.revision();
            }
            for (RenderedChange change : changes) {
                if (change.revision() > lastRevision) {
                    add(change);
                }
            }
            releaseHeld();
        }
        pump();
    }

    /**
     * Installs a viewport's cells at one revision, in parts, then the live changes held meanwhile.
     */
    void viewportSent(int catchUp, List<String> parts, long revision) {
        synchronized (this) {
            if (closed || catchUp != generation) {
                return;
            }
            for (String part : parts) {
                queue.add(part);
                viewportParts.add(part);
                feed.buffered(part.length());
            }
            lastRevision = revision;
            releaseHeld();
        }
        pump();
    }

    // Holds the lock. Changes that came while catching up follow, unless too many came: then it catches up again.
    private void releaseHeld() {
        if (heldOverflow) {
            restart(null);
            return;
        }
        catchingUp = false;
        List<RenderedChange> release = new ArrayList<>(held); // a fall behind on the way restarts, clearing held
        held.clear();
        heldCells = 0;
        for (RenderedChange change : release) {
            if (catchingUp || closeStatus != 0) {
                break; // one of them overflowed the queue: deliver decided what follows
            }
            if (change.revision() > lastRevision) {
                deliver(change);
            }
        }
    }

    /** Closes the connection now with a WebSocket status code and a reason, dropping what waits. */
    void close(int status, String reason) {
        release();
        Session current = session;
        if (current != null && current.isOpen()) {
            current.close(status, reason, Callback.NOOP);
            feed.disconnectLater(current);
        }
    }

    // Sends one last message after what is queued, then closes.
    private void finish(String last, int status, String reason) {
        synchronized (this) {
            if (closed || closeStatus != 0) {
                return;
            }
            clearQueue();
            if (last != null) {
                queueLive(last);
            }
            closeStatus = status;
            closeReason = reason;
        }
        pump();
    }

    // Holds the lock. Queues a change, or falls behind when it would overflow the queue. A legacy
    // client knows no snapshot: it takes every change, however big, once what it has queued is
    // under its limits, and only one that stays over them falls behind.
    private void enqueue(RenderedChange change) {
        boolean over = form == Form.LEGACY ? queue.size() >= limits.messages() || queuedChars >= limits.chars()
                : queue.size() + (form == Form.BATCH ? 1 : change.cellCount()) > limits.messages()
                        || queuedChars + change.chars(form) > limits.chars();
        if (over) {
            fallBehind();
            return;
        }
        add(change);
    }

    // Holds the lock. A client that stalled while its snapshot was on the way is not sent another;
    // one that is reading it gets the next after it, with what changed meanwhile.
    private void fallBehind() {
        clearQueue();
        if (form == Form.LEGACY) {
            // It would not understand a snapshot; it reconnects, and its poller catches up from the legacy manifest.
            closeStatus = 1013;
            closeReason = "fell behind the map; connect again";
            feed.tooSlow(this);
            return;
        }
        long since = waitingSince;
        if (sendingSnapshot != null && since != 0 && System.nanoTime() - since >= MapFeed.STALLED_NANOS) {
            queueLive(MapFeed.error("this client reads too slowly: it stopped reading its snapshot and fell behind again"));
            closeStatus = 1013;
            closeReason = "reads too slowly; try again later";
            feed.tooSlow(this);
            return;
        }
        queueLive("{\"type\":\"resync\",\"message\":\"this client fell behind by more than " + limits.messages() + " messages or "
                + limits.chars() / 1024 + " KiB; " + (viewport == null ? "a snapshot of the map" : "its viewport") + " follows\"}");
        restart(null);
    }

    // Holds the lock.
    private void add(RenderedChange change) {
        lastRevision = change.revision();
        if (form == Form.BATCH) {
            queueLive(change.batchMessage());
        } else {
            for (String message : form == Form.LEGACY ? change.legacyMessages() : change.cellMessages()) {
                queueLive(message);
            }
        }
    }

    // Holds the lock.
    private void queueLive(String message) {
        queue.add(message);
        charge(message.length());
    }

    // Holds the lock. Drops what waits, except the message being sent: a fragmented message must end.
    private void clearQueue() {
        for (String message : queue) {
            if (viewportParts.remove(message)) {
                feed.buffered(-message.length());
            } else if (queuedSnapshot == null || message != queuedSnapshot.message()) {
                charge(-message.length());
            }
        }
        queue.clear();
        if (queuedSnapshot != null) {
            queuedSnapshot.release();
            queuedSnapshot = null;
        }
    }

    private void charge(long chars) {
        queuedChars += chars;
        feed.buffered(chars);
    }

    private void release() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            clearQueue();
            finishCurrent();
            held.clear();
            waitingSince = 0;
        }
    }

    // Holds the lock. The message being sent is done (or dropped): it no longer counts.
    private void finishCurrent() {
        if (current == null) {
            return;
        }
        if (sendingSnapshot != null) {
            sendingSnapshot.release();
            sendingSnapshot = null;
        } else if (viewportParts.remove(current)) {
            feed.buffered(-current.length());
        } else {
            charge(-current.length());
        }
        current = null;
    }

    // One send in flight; a send that completes at once continues this loop instead of recursing.
    private void pump() {
        Session open = session;
        if (open == null) {
            return;
        }
        synchronized (this) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        while (true) {
            String text;
            boolean whole;
            boolean last;
            int status = 0;
            synchronized (this) {
                if (closed || sending || (current == null && queue.isEmpty())) {
                    pumping = false;
                    if (!closed && !sending && closeStatus != 0) {
                        status = closeStatus;
                    } else {
                        return;
                    }
                    text = null;
                    whole = last = false;
                } else {
                    if (current == null) {
                        current = queue.poll();
                        sentChars = 0;
                        if (queuedSnapshot != null && current == queuedSnapshot.message()) {
                            sendingSnapshot = queuedSnapshot;
                            queuedSnapshot = null;
                        }
                    }
                    int end = Math.min(current.length(), sentChars + FRAGMENT_CHARS);
                    if (end < current.length() && Character.isHighSurrogate(current.charAt(end - 1))) {
                        end--; // a fragment is encoded on its own: never split a surrogate pair
                    }
                    whole = sentChars == 0 && end == current.length();
                    text = whole ? current : current.substring(sentChars, end);
                    last = end == current.length();
                    sentChars = end;
                    sending = true;
                    waitingSince = System.nanoTime();
                }
            }
            if (status != 0) {
                close(status, closeReason);
                return;
            }
            Callback done = Callback.from(() -> sent(last), this::failed);
            if (whole) {
                open.sendText(text, done);
            } else {
                open.sendPartialText(text, last, done);
            }
        }
    }

    private void sent(boolean last) {
        synchronized (this) {
            sending = false;
            waitingSince = 0;
            if (last && !closed) {
                finishCurrent();
            }
        }
        pump();
    }

    private void failed(Throwable cause) {
        synchronized (this) {
            sending = false;
        }
        close(1011, "send failed");
        feed.leave(this);
    }

    /** @return for a log line: how long this client has not read, in seconds */
    long secondsWaiting(long now) {
        long since = waitingSince;
        return since == 0 ? 0 : TimeUnit.NANOSECONDS.toSeconds(now - since);
    }
}
