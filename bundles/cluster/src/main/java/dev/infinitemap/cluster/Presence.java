package dev.infinitemap.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is still there, by the log's own clock: each runtime's heartbeats carry the time the log
 * appended them, and "now" is the latest such time seen. So a runtime whose log is unreachable
 * sees no time pass and declares nobody dead, and all runtimes judge by one clock. Of the
 * runtimes online, the one with the smallest id records the decision; another that records it
 * too (it thought itself the smallest a moment ago) changes nothing, as the first decision for
 * an incarnation is the one applied. Not thread-safe: the engine's reader thread calls it.
 */
final class Presence {

    /** A runtime's latest record and when it was last heard of; {@code at} moves with each of its records. */
    private static final class Seen {
        final RuntimeRecord last;
        long at;

        Seen(RuntimeRecord last, long at) {
            this.last = last;
            this.at = at;
        }

        RuntimeRecord last() {
            return last;
        }

        long at() {
            return at;
        }
    }

    private final String self;
    private final long detectionMillis;
    private final Map<String, Seen> online = new HashMap<>();
    private final Map<String, Seen> left = new HashMap<>(); // said goodbye or declared gone, with when last heard
    private long now = Long.MIN_VALUE;

    /**
     * @param self this runtime's id
     * @param detectionMillis how long a runtime may stay silent before it is declared gone
     */
    Presence(String self, long detectionMillis) {
        this.self = self;
        this.detectionMillis = detectionMillis;
    }

    /**
     * A runtime record as the log gave it, with the time the log appended it. A log with no
     * record at all for half the detection time was itself away (every runtime online writes a
     * heartbeat each interval): silence is then counted from its return, so a broker restart
     * declares nobody gone.
     */
    void heard(RuntimeRecord record, long logMillis) {
        advance(logMillis);
        Seen before = online.get(record.runtime());
        if (before != null && before.last().epoch() > record.epoch()) {
            return; // an older incarnation's leftovers
        }
        if (record.state() == RuntimeRecord.State.GONE) {
            Seen last = online.remove(record.runtime());
            left.put(record.runtime(), last != null ? last : new Seen(record, logMillis));
        } else {
            online.put(record.runtime(), new Seen(record, logMillis));
            left.remove(record.runtime());
        }
    }

    /**
     * Any other record of a runtime, with the time the log appended it: a runtime whose big
     * delta keeps its heartbeat waiting behind it is still there.
     */
    void alive(String runtime, long logMillis) {
        advance(logMillis);
        Seen seen = online.get(runtime);
        if (seen != null && seen.at < logMillis) {
            seen.at = logMillis;
        }
    }

    private void advance(long logMillis) {
        if (now != Long.MIN_VALUE && logMillis - now > detectionMillis / 2) {
            online.values().forEach(seen -> seen.at = logMillis);
        }
        now = Math.max(now, logMillis);
    }

    /** One runtime as the status shows it. */
    record Peer(String runtime, boolean online, long lastHeardMillis) {
    }

    /** @return every runtime heard of but this one, by id */
    List<Peer> peers() {
        List<Peer> peers = new ArrayList<>();
        online.forEach((runtime, seen) -> peers.add(new Peer(runtime, true, seen.at())));
        left.forEach((runtime, seen) -> peers.add(new Peer(runtime, false, seen.at())));
        peers.removeIf(peer -> peer.runtime().equals(self));
        peers.sort(java.util.Comparator.comparing(Peer::runtime));
        return peers;
    }

    /** @return the latest log time seen, or {@code Long.MIN_VALUE} before any */
    long now() {
        return now;
    }

    /**
     * @return the decisions this runtime is to record now: each runtime silent for the detection
     *         time, gone with the policy it announced; empty unless this runtime has the smallest
     *         id of those still heard
     */
    List<RuntimeRecord> toDeclare() {
        List<RuntimeRecord> silent = new ArrayList<>();
        String decider = null;
        for (Seen seen : online.values()) {
            String runtime = seen.last().runtime();
            if (!runtime.equals(self) && now - seen.at() > detectionMillis) {
                silent.add(new RuntimeRecord(runtime, seen.last().epoch(), RuntimeRecord.State.GONE, seen.last().onDeath()));
            } else if (decider == null || runtime.compareTo(decider) < 0) {
                decider = runtime;
            }
        }
        if (!self.equals(decider) && !(decider == null || self.compareTo(decider) < 0)) {
            return List.of();
        }
        silent.sort(java.util.Comparator.comparing(RuntimeRecord::runtime));
        return silent;
    }
}
