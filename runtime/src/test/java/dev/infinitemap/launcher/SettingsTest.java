package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SettingsTest {

    private static final Path HOME = Path.of("/opt/infinitemap");

    @Test
    void defaultsAreLoopbackPort8080AndNoPassword() {
        Settings settings = Settings.read(Map.of(), Map.of(), HOME);
        assertEquals("127.0.0.1", settings.httpHost());
        assertEquals(8080, settings.httpPort());
        assertEquals(Optional.empty(), settings.adminPassword());
        assertEquals(HOME, settings.home());
        assertTrue(settings.legacyPort().isEmpty(), "the Geometry OS listener is off unless asked for");
    }

    @Test
    void theClusterIsOffUnlessItsBootstrapServersAreSetAndThenItsSettingsBecomeFrameworkProperties() {
        Settings alone = Settings.read(Map.of("INFINITEMAP_CLUSTER_MAP", "site"), Map.of(), HOME);
        assertTrue(!alone.clustered() && alone.cluster().isEmpty(), "a map name without servers is no cluster");
        Settings clustered = Settings.read(Map.of("INFINITEMAP_CLUSTER_BOOTSTRAP", " kafka:9092 ", "INFINITEMAP_CLUSTER_MAP", "site",
                "INFINITEMAP_CLUSTER_ON_DEATH", " "), Map.of("infinitemap.cluster.runtime.id", "east"), HOME);
        assertTrue(clustered.clustered());
        assertEquals(Map.of("infinitemap.cluster.bootstrap", "kafka:9092", "infinitemap.cluster.map", "site",
                "infinitemap.cluster.runtime.id", "east"), clustered.cluster(), "blank settings are left out, system properties count");
    }

    @Test
    void theLegacyPortIsAPortOtherThanTheMainOne() {
        assertEquals(8765, Settings.read(Map.of("INFINITEMAP_LEGACY_PORT", "8765"), Map.of(), HOME).legacyPort().getAsInt());
        assertTrue(Settings.read(Map.of("INFINITEMAP_LEGACY_PORT", " "), Map.of(), HOME).legacyPort().isEmpty(), "blank counts as unset");
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> Settings.read(Map.of("INFINITEMAP_LEGACY_PORT", "ws"), Map.of(), HOME));
        assertTrue(text.getMessage().contains("INFINITEMAP_LEGACY_PORT"), text.getMessage());
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> Settings.read(Map.of("INFINITEMAP_LEGACY_PORT", "8080"), Map.of(), HOME));
        assertTrue(same.getMessage().contains("differ"), same.getMessage());
    }

    @Test
    void theLegacyWebFolderMustExistAndNeedsTheLegacyPort(@org.junit.jupiter.api.io.TempDir Path folder) {
        assertEquals(Optional.of(folder), Settings.read(Map.of("INFINITEMAP_LEGACY_PORT", "8765", "INFINITEMAP_LEGACY_WEB", folder.toString()), Map.of(), HOME)
                .legacyWeb());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Settings.read(
                Map.of("INFINITEMAP_LEGACY_PORT", "8765", "INFINITEMAP_LEGACY_WEB", folder.resolve("nothing").toString()), Map.of(), HOME));
        assertTrue(missing.getMessage().contains("INFINITEMAP_LEGACY_WEB"), missing.getMessage());
        IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
                () -> Settings.read(Map.of("INFINITEMAP_LEGACY_WEB", folder.toString()), Map.of(), HOME));
        assertTrue(alone.getMessage().contains("INFINITEMAP_LEGACY_PORT"), alone.getMessage());
    }

    @Test
    void environmentVariablesSetEachValue() {
        Settings settings = Settings.read(Map.of("INFINITEMAP_HTTP_HOST", "0.0.0.0", "INFINITEMAP_HTTP_PORT", "9090",
                "INFINITEMAP_ADMIN_PASSWORD", "s3cret"), Map.of(), HOME);
        assertEquals("0.0.0.0", settings.httpHost());
        assertEquals(9090, settings.httpPort());
        assertEquals(Optional.of("s3cret"), settings.adminPassword());
        assertEquals("http://127.0.0.1:9090", settings.baseUrl(), "a wildcard bind is reached through loopback");
    }

    @Test
    void aSystemPropertyWinsOverTheEnvironmentVariable() {
        Settings settings = Settings.read(Map.of("INFINITEMAP_HTTP_PORT", "9090"), Map.of("infinitemap.http.port", "9191"), HOME);
        assertEquals(9191, settings.httpPort());
    }

    @Test
    void aPortThatIsNotANumberOrOutOfRangeIsRefusedByName() {
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> Settings.read(Map.of("INFINITEMAP_HTTP_PORT", "http"), Map.of(), HOME));
        assertTrue(text.getMessage().contains("INFINITEMAP_HTTP_PORT"));
        assertThrows(IllegalArgumentException.class, () -> Settings.read(Map.of("INFINITEMAP_HTTP_PORT", "70000"), Map.of(), HOME));
        assertThrows(IllegalArgumentException.class, () -> Settings.read(Map.of("INFINITEMAP_HTTP_PORT", "0"), Map.of(), HOME));
    }

    @Test
    void adminAndEmptyPasswordsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Settings.read(Map.of("INFINITEMAP_ADMIN_PASSWORD", "admin"), Map.of(), HOME));
        assertThrows(IllegalArgumentException.class, () -> Settings.read(Map.of("INFINITEMAP_ADMIN_PASSWORD", ""), Map.of(), HOME));
    }

    @Test
    void anIpv6HostIsBracketedInUrls() {
        assertEquals("http://[::1]:8080", Settings.read(Map.of("INFINITEMAP_HTTP_HOST", "::1"), Map.of(), HOME).baseUrl());
    }
}
