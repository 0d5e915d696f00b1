package dev.infinitemap.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.cluster.Cluster;

class StatusServletTest {

    @Test
    void theClusterPartNamesThisRuntimeItsStateProblemLagAndTheOtherRuntimes() {
        Cluster.Status status = new Cluster.Status("a", "city", "127.0.0.1:9092", Cluster.State.CATCHING_UP, Optional.of("slow \"broker\""), 42,
                List.of(new Cluster.Peer("b", true, Instant.parse("2026-12-03T10:00:00Z")), new Cluster.Peer("c", false, Instant.parse("2026-12-03T09:00:00Z"))),
                List.of(new Cluster.RemoteCompositor("t@b", "t", "b", 0, 1, false)));
        assertEquals("{\"runtime\":\"a\",\"map\":\"city\",\"bootstrap\":\"127.0.0.1:9092\",\"state\":\"catching-up\",\"problem\":\"slow \\\"broker\\\"\","
                + "\"lag\":42,\"runtimes\":[{\"runtime\":\"b\",\"state\":\"online\",\"lastHeard\":\"2026-12-03T10:00:00Z\"},"
                + "{\"runtime\":\"c\",\"state\":\"gone\",\"lastHeard\":\"2026-12-03T09:00:00Z\"}]}", StatusServlet.json(status));
    }
}
