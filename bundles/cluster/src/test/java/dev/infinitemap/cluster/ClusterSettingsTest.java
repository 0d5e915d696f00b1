package dev.infinitemap.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSettingsTest {

    @Test
    void defaultsAreMapDefaultRemoveOnDeathAHeartbeatASecondAndFiveSecondsToDetect(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/kafka.properties"), "security.protocol=SSL\n");
        ClusterSettings settings = ClusterSettings.read(Map.of("infinitemap.cluster.bootstrap", "k:9092", "infinitemap.cluster.runtime.id", "east")::get, home);
        assertEquals("im.default", settings.topic());
        assertEquals(RuntimeRecord.OnDeath.REMOVE, settings.onDeath());
        assertEquals(1000, settings.heartbeatMillis());
        assertEquals(5000, settings.detectionMillis());
        assertEquals("SSL", settings.kafka().getProperty("security.protocol"), "conf/kafka.properties is passed to the clients");
    }

    @Test
    void eachWrongSettingIsNamed() {
        assertNamed("INFINITEMAP_CLUSTER_BOOTSTRAP", Map.of());
        assertNamed("INFINITEMAP_CLUSTER_RUNTIME_ID", Map.of("runtime.id", "east/1"));
        assertNamed("INFINITEMAP_CLUSTER_MAP", Map.of("map", "a map"));
        assertNamed("INFINITEMAP_CLUSTER_ON_DEATH", Map.of("on.death", "forget"));
        assertNamed("INFINITEMAP_CLUSTER_HEARTBEAT_MILLIS", Map.of("heartbeat.millis", "soon"));
        assertNamed("INFINITEMAP_CLUSTER_DETECTION_MILLIS", Map.of("detection.millis", "1500"));
    }

    private static void assertNamed(String setting, Map<String, String> given) {
        Map<String, String> properties = new HashMap<>(Map.of("bootstrap", "k:9092", "runtime.id", "east"));
        properties.putAll(given);
        if (given.isEmpty()) {
            properties.remove("bootstrap");
        }
        Map<String, String> framework = new HashMap<>();
        properties.forEach((name, value) -> framework.put(ClusterSettings.PREFIX + name, value));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterSettings.read(framework::get, null));
        assertTrue(e.getMessage().startsWith(setting), e.getMessage());
    }
}
