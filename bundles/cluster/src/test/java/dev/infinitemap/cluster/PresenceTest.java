package dev.infinitemap.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.infinitemap.cluster.RuntimeRecord.OnDeath;
import dev.infinitemap.cluster.RuntimeRecord.State;

class PresenceTest {

    private static final long DETECTION = 5_000;

    @Test
    void aRuntimeWritingABigDeltaIsHeardOfByItsCellsThoughItsHeartbeatWaitsBehindThem() {
        Presence a = new Presence("a", DETECTION);
        a.heard(online("a", 1, OnDeath.REMOVE), 1_000);
        a.heard(online("b", 1, OnDeath.REMOVE), 1_000);
        for (long at = 1_000; at <= 20_000; at += 1_000) {
            a.heard(online("a", 1, OnDeath.REMOVE), at);
            a.alive("b", at); // b's cells, appended over 19 s in one long transaction
        }
        assertEquals(List.of(), a.toDeclare(), "b's cells say it is there");
        a.heard(online("a", 1, OnDeath.REMOVE), 22_000);
        a.heard(online("a", 1, OnDeath.REMOVE), 24_000);
        a.heard(online("a", 1, OnDeath.REMOVE), 25_001);
        assertEquals(List.of(new RuntimeRecord("b", 1, State.GONE, OnDeath.REMOVE)), a.toDeclare(), "silent after its last cell");
    }

    @Test
    void aLogThatWasAwayLongerThanTheDetectionTimeDeclaresNobodyGoneSilenceCountsFromItsReturn() {
        Presence a = new Presence("a", DETECTION);
        a.heard(online("a", 1, OnDeath.REMOVE), 1_000);
        a.heard(online("b", 1, OnDeath.REMOVE), 1_000);
        // The broker was down for a minute: the first record after it is a's own heartbeat.
        a.heard(online("a", 1, OnDeath.REMOVE), 61_000);
        assertEquals(List.of(), a.toDeclare(), "b's silence counts from the log's return");
        a.heard(online("a", 1, OnDeath.REMOVE), 63_000);
        a.heard(online("a", 1, OnDeath.REMOVE), 65_000);
        a.heard(online("a", 1, OnDeath.REMOVE), 66_001);
        assertEquals(List.of(new RuntimeRecord("b", 1, State.GONE, OnDeath.REMOVE)), a.toDeclare(), "b silent since then is gone");
    }

    @Test
    void aRuntimeSilentLongerThanTheDetectionTimeIsDeclaredGoneWithItsPolicyByTheSmallestIdOnly() {
        Presence a = new Presence("a", DETECTION);
        Presence b = new Presence("b", DETECTION);
        for (Presence p : List.of(a, b)) {
            p.heard(online("a", 1, OnDeath.REMOVE), 1_000);
            p.heard(online("b", 1, OnDeath.REMOVE), 1_000);
            p.heard(online("c", 3, OnDeath.KEEP), 1_000);
        }
        for (Presence p : List.of(a, b)) {
            p.heard(online("a", 1, OnDeath.REMOVE), 3_500);
            p.heard(online("a", 1, OnDeath.REMOVE), 6_000);
            p.heard(online("b", 1, OnDeath.REMOVE), 6_000);
        }
        assertEquals(List.of(), a.toDeclare(), "c was heard 5 s ago: not longer than the detection time");
        for (Presence p : List.of(a, b)) {
            p.heard(online("a", 1, OnDeath.REMOVE), 6_001);
            p.heard(online("b", 1, OnDeath.REMOVE), 6_001);
        }
        assertEquals(List.of(new RuntimeRecord("c", 3, State.GONE, OnDeath.KEEP)), a.toDeclare(), "its own policy");
        assertEquals(List.of(), b.toDeclare(), "a decides, b does not");

        a.heard(new RuntimeRecord("c", 3, State.GONE, OnDeath.KEEP), 6_002);
        assertEquals(List.of(), a.toDeclare(), "decided once");
        a.heard(online("c", 2, OnDeath.KEEP), 6_003);
        assertEquals(List.of(), a.toDeclare(), "an older incarnation's heartbeat, late, brings nothing back");
    }

    @Test
    void whenTheSmallestIdGoesSilentTheNextOneDecidesAndNobodyDeclaresItself() {
        Presence b = new Presence("b", DETECTION);
        b.heard(online("a", 1, OnDeath.REMOVE), 0);
        for (long at = 0; at <= 10_000; at += 1_000) {
            b.heard(online("b", 1, OnDeath.REMOVE), at);
        }
        assertEquals(List.of(new RuntimeRecord("a", 1, State.GONE, OnDeath.REMOVE)), b.toDeclare());

        Presence alone = new Presence("a", DETECTION);
        alone.heard(online("a", 1, OnDeath.REMOVE), 0);
        alone.heard(online("y", 1, OnDeath.REMOVE), 20_000); // a's own heartbeats stopped reaching the log
        assertEquals(List.of(), alone.toDeclare(), "never itself");
    }

    @Test
    void withoutNewRecordsFromTheLogNoTimePassesAndNobodyIsDeclared() {
        Presence a = new Presence("a", DETECTION);
        a.heard(online("a", 1, OnDeath.REMOVE), 1_000);
        a.heard(online("b", 1, OnDeath.REMOVE), 1_000);
        // The broker is away: a hears nothing, however long the wall clock runs.
        assertEquals(1_000, a.now());
        assertEquals(List.of(), a.toDeclare());
        a.heard(online("b", 2, OnDeath.REMOVE), 30_000);
        assertEquals(List.of(), a.toDeclare(), "b came back as a new incarnation");
    }

    private static RuntimeRecord online(String runtime, long epoch, OnDeath onDeath) {
        return new RuntimeRecord(runtime, epoch, State.ONLINE, onDeath);
    }
}
