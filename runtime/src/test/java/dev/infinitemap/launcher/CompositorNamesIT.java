package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The name rule at start: bundles before manifests, manifests in file-name order, the same at every start. */
class CompositorNamesIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Issue: which of two manifests of one name won changed after a restart; a manifest named clock hid the clock bundle. */
    @Test
    void everyStartGivesBundlesTheirNamesFirstThenManifestsByFileNameAndTheNextTakesOverWhenTheHolderLeaves() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir)) {
            Path deploy = runtime.home.resolve("deploy");
            Files.writeString(deploy.resolve("clock.manifest.json"), manifest("clock", 0, "fake-clock.png"), StandardCharsets.UTF_8);
            // Written in the order that would let the later file win if arrival decided.
            Files.writeString(deploy.resolve("twin-b.manifest.json"), manifest("twin", 1, "b.png"), StandardCharsets.UTF_8);
            Files.writeString(deploy.resolve("twin-a.manifest.json"), manifest("twin", 2, "a.png"), StandardCharsets.UTF_8);

            for (int start = 1; start <= 3; start++) { // a cold start, then two with the framework cache warm
                runtime.start();
                String compositors = runtime.get("/infinitemap/api/compositors").body();
                assertEquals("active", state(compositors, "clock", "\"kind\":\"bundle\""), "start " + start + ": " + compositors);
                assertEquals("failed", state(compositors, "clock", "\"file\":\"clock.manifest.json\""), compositors);
                assertTrue(lastError(compositors, "clock", "\"file\":\"clock.manifest.json\"").contains("bundle dev.infinitemap.compositor.clock"), compositors);
                assertEquals("active", state(compositors, "twin", "\"file\":\"twin-a.manifest.json\""), "start " + start + ": " + compositors);
                assertEquals("failed", state(compositors, "twin", "\"file\":\"twin-b.manifest.json\""), compositors);
                assertTrue(lastError(compositors, "twin", "\"file\":\"twin-b.manifest.json\"").contains("deploy/twin-a.manifest.json"), compositors);
                String tiles = tiles(runtime);
                assertTrue(tiles.contains("\"2,-500\":{\"brick\":\"a.png\""), tiles);
                assertFalse(tiles.contains("\"1,-500\""), "the waiting manifest draws nothing: " + tiles);
                assertFalse(tiles.contains("fake-clock.png"), tiles);
                if (start < 3) {
                    assertEquals(0, runtime.stop());
                }
            }

            Files.delete(deploy.resolve("twin-a.manifest.json"));
            RuntimeProcess.awaitCondition("twin-b taking the name with its tiles", TIMEOUT,
                    () -> tiles(runtime).contains("\"1,-500\":{\"brick\":\"b.png\"") && !tiles(runtime).contains("\"2,-500\""));
            Files.delete(deploy.resolve("clock.manifest.json"));
            RuntimeProcess.awaitCondition("only the clock bundle left under its name", TIMEOUT,
                    () -> count(runtime.body("/infinitemap/api/compositors"), "\"name\":\"clock\"") == 1);
            assertEquals("active", state(runtime.body("/infinitemap/api/compositors"), "clock", "\"kind\":\"bundle\""));
            assertEquals(0, runtime.stop());
        }
    }

    private static String manifest(String compositor, int x, String brick) {
        return "{ \"compositor\": \"" + compositor + "\", \"tiles\": { \"" + x + ",-500\": {\"brick\": \"" + brick + "\", \"timestamp\": 1} } }";
    }

    private static Matcher entry(String compositors, String name, String marker) {
        Matcher m = Pattern.compile("\\{\"name\":\"" + name + "\",[^{]*?" + Pattern.quote(marker)
                + "(?:[^{}]|\\{[^}]*})*?\"state\":\"(\\w+)\",\"lastUpdate\":[^,]*,\"lastError\":(null|\"(?:\\\\.|[^\"\\\\])*\")").matcher(compositors);
        assertTrue(m.find(), name + " " + marker + " in " + compositors);
        return m;
    }

    private static String state(String compositors, String name, String marker) {
        return entry(compositors, name, marker).group(1);
    }

    private static String lastError(String compositors, String name, String marker) {
        return entry(compositors, name, marker).group(2);
    }

    private static String tiles(RuntimeProcess runtime) {
        return runtime.body("/infinitemap/api/tiles?x0=0&y0=-500&x1=2&y1=-500");
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
