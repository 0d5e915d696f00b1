package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.infinitemap.fixture.ExitingActivator;

/**
 * Crashes and a vanishing folder: after {@code kill -9} at a bad moment, the next start shows
 * exactly what the files in {@code deploy/} say, with no cleanup by hand.
 */
class FaultsIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int FILES = 5;
    static final int Y = 12000;

    @TempDir
    Path dir;

    @Test
    void afterAKillDuringABurstOfManifestEditsTheMapEqualsTheFiles() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir)) {
            runtime.start();
            Map<Integer, String> lastWritten = new ConcurrentHashMap<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                Random random = new Random(5);
                try {
                    while (writing.get()) {
                        int f = random.nextInt(FILES);
                        Path target = runtime.home.resolve("deploy/burst-" + f + ".manifest.json");
                        if (random.nextInt(10) == 0) {
                            Files.deleteIfExists(target);
                            lastWritten.remove(f);
                            continue;
                        }
                        StringBuilder json = new StringBuilder("{");
                        for (int x = 0; x < 100; x++) {
                            if (random.nextBoolean()) {
                                json.append(json.length() > 1 ? "," : "").append('"').append(x).append(',').append(Y + f)
                                        .append("\":{\"brick\":\"b").append(random.nextInt(5)).append(".png\",\"timestamp\":1}");
                            }
                        }
                        String content = json.append('}').toString();
                        Path staging = runtime.home.resolve("data/burst-" + f + ".part");
                        Files.writeString(staging, content);
                        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        lastWritten.put(f, content);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "burst-writer");
            writer.start();
            RuntimeProcess.awaitCondition("the burst reaching the map", TIMEOUT,
                    () -> runtime.body("/infinitemap/api/compositors").contains("burst-"));
            runtime.kill();
            writing.set(false);
            writer.join();

            runtime.start();
            assertEquals(expected(lastWritten), burstTiles(runtime), "the map after the restart equals the files on disk");
            assertEquals(0, runtime.stop());
        }
    }

    @Test
    void aBundleThatCallsSystemExitIsNamedAndStaysStoppedUntilItsJarIsReplaced() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir)) {
            runtime.start();
            runtime.deploy("exits.jar", TestJars.exitingCompositorBundle("test.exits", "1.0.0", true));
            assertEquals(ExitingActivator.STATUS, runtime.awaitExit(TIMEOUT), "the process ends with the bundle's exit code");
            assertTrue(runtime.log().contains("Bundle test.exits 1.0.0 (deploy/exits.jar) called System.exit from "
                    + ExitingActivator.class.getName()), runtime.log());

            runtime.start();
            RuntimeProcess.awaitCondition("test.exits listed as failed, with the reason", TIMEOUT, () -> runtime.body("/infinitemap/api/compositors").matches("(?s).*\\{\"name\":\"test\\.exits\",\"kind\":\"bundle\",[^}]*}[^}]*\"state\":\"failed\",[^}]*called System\\.exit.*"));
            assertTrue(runtime.log().contains("Not starting bundle test.exits 1.0.0 (deploy/exits.jar): it called System.exit"), runtime.log());
            assertTrue(runtime.adminBody("/system/console/bundles.json").matches("(?s).*\"state\":\"Resolved\",[^}]*\"symbolicName\":\"test\\.exits\".*"),
                    "installed, not started");

            runtime.deploy("exits.jar", TestJars.exitingCompositorBundle("test.exits", "1.0.1", false));
            RuntimeProcess.awaitCondition("the replaced bundle started", TIMEOUT, () -> runtime.adminBody("/system/console/bundles.json")
                    .matches("(?s).*\"state\":\"Active\",[^}]*\"symbolicName\":\"test\\.exits\".*"));
            RuntimeProcess.awaitCondition("the failure gone from the compositors", TIMEOUT,
                    () -> !runtime.body("/infinitemap/api/compositors").contains("System.exit"));
            assertEquals(0, runtime.stop());

            runtime.start();
            assertTrue(runtime.adminBody("/system/console/bundles.json").matches("(?s).*\"state\":\"Active\",[^}]*\"symbolicName\":\"test\\.exits\".*"),
                    "after the next start the replaced bundle runs as any other");
            assertEquals(0, runtime.stop());
        }
    }

    @Test
    void afterAKillDuringABundleInstallTheRuntimeStartsAndTheBundleIsActive() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir)) {
            runtime.env("INFINITEMAP_ADMIN_PASSWORD", "faults-test-password").start();
            runtime.deploy("commons-lang3.jar", TestJars.commonsLang3());
            runtime.kill(); // at once: FileInstall is installing it, or about to
            runtime.start();
            RuntimeProcess.awaitCondition("commons-lang3 active after the restart", TIMEOUT,
                    () -> runtime.adminBody("/system/console/bundles.json")
                            .matches("(?s).*\"state\":\"Active\",[^}]*\"symbolicName\":\"org.apache.commons.lang3\".*"));
            assertTrue(runtime.body("/infinitemap/api/status").contains("\"ready\":true"));
            assertEquals(0, runtime.stop());
        }
    }

    @Test
    void theDeployFolderDeletedAndRecreatedEndsUpAsTheNewFolderSays() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir)) {
            runtime.start();
            Path deploy = runtime.home.resolve("deploy");
            try (var files = Files.list(deploy)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.delete(file);
                }
            }
            Files.delete(deploy);
            // A missing folder may be a passing unmount: FileInstall keeps what it had until the folder is back.
            Files.createDirectory(deploy);
            runtime.deploy("again.manifest.json", "{ \"1,1\": {\"brick\": \"a.png\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
            RuntimeProcess.awaitCondition("only the new folder's manifest on the map", TIMEOUT,
                    () -> runtime.body("/infinitemap/api/status").matches(".*\"tiles\":1,\"compositors\":1,.*"));
            assertTrue(runtime.body("/infinitemap/api/tiles?x0=1&y0=1&x1=1&y1=1").contains("\"1,1\":{\"brick\":\"a.png\""));
            // FileInstall's own watch died with the folder: the daemon has it look afresh, and it
            // sees what only it handles (a configuration) in the new folder.
            RuntimeProcess.awaitCondition("FileInstall told to look afresh", TIMEOUT, () -> runtime.log().contains("FileInstall looks at deploy/ afresh"));
            runtime.deploy("dev.infinitemap.log.cfg", "level=INFO\n".getBytes(StandardCharsets.UTF_8));
            RuntimeProcess.awaitCondition("a configuration in the new folder taken by FileInstall", TIMEOUT,
                    () -> runtime.log().contains("Creating configuration {dev.infinitemap.log}"));
            assertEquals(0, runtime.stop());
        }
    }

    @Test
    void aFullDiskRefusesABundleWithAClearLineAndTheRuntimeGoesOn() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir)) {
            // data/ (framework cache, where installed bundles are copied) on a 4 MB file system of its own.
            Path data = Files.createDirectories(runtime.home.resolve("data"));
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", data.toString()).inheritIO().start();
            Assumptions.assumeTrue(mount.waitFor() == 0, "mounting a small tmpfs needs root; not here");
            try {
                runtime.env("INFINITEMAP_ADMIN_PASSWORD", "faults-test-password").start();
                runtime.deploy("huge.jar", TestJars.jar(Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "test.huge", "Bundle-Version", "1.0.0"),
                        Map.of("padding.bin", randomBytes(8 * 1024 * 1024))));
                RuntimeProcess.awaitCondition("the full disk named with the jar", TIMEOUT,
                        () -> runtime.log().lines().anyMatch(l -> l.contains("huge.jar") && l.contains("No space left on device")));

                runtime.deploy("still.manifest.json", "{ \"2,2\": {\"brick\": \"a.png\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
                RuntimeProcess.awaitCondition("a manifest still applied", TIMEOUT,
                        () -> runtime.body("/infinitemap/api/tiles?x0=2&y0=2&x1=2&y1=2").contains("\"2,2\""));

                Files.delete(runtime.home.resolve("deploy/huge.jar"));
                runtime.deploy("commons-lang3.jar", TestJars.commonsLang3());
                RuntimeProcess.awaitCondition("a bundle that fits installed and active", TIMEOUT,
                        () -> runtime.adminBody("/system/console/bundles.json")
                                .matches("(?s).*\"state\":\"Active\",[^}]*\"symbolicName\":\"org.apache.commons.lang3\".*"));
                assertEquals(0, runtime.stop());
            } finally {
                new ProcessBuilder("umount", "-l", data.toString()).inheritIO().start().waitFor();
            }
        }
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(3).nextBytes(bytes); // incompressible, so the jar stays 8 MB
        return bytes;
    }

    /** cell → brick of every file written last, parsed from what the writer wrote. */
    private static Map<String, String> expected(Map<Integer, String> files) {
        Map<String, String> tiles = new TreeMap<>();
        Pattern tile = Pattern.compile("\"(\\d+,\\d+)\":\\{\"brick\":\"([^\"]+)\"");
        files.values().forEach(content -> {
            Matcher m = tile.matcher(content);
            while (m.find()) {
                tiles.put(m.group(1), m.group(2));
            }
        });
        return tiles;
    }

    private static Map<String, String> burstTiles(RuntimeProcess runtime) {
        Map<String, String> tiles = new TreeMap<>();
        Matcher m = Pattern.compile("\"(\\d+,\\d+)\":\\{\"brick\":\"([^\"]+)\"")
                .matcher(runtime.body("/infinitemap/api/tiles?x0=0&y0=" + Y + "&x1=99&y1=" + (Y + FILES - 1)));
        while (m.find()) {
            tiles.put(m.group(1), m.group(2));
        }
        return tiles;
    }
}
