package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, ready line, password handling, SIGTERM and restart, as a user meets them. */
class RuntimeLifecycleIT {

    @TempDir
    Path dir;

    @Test
    void startsOnTheChosenPortPrintsOneReadyLineAndStopsWithExitCodeZeroOnSigterm() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir).start()) {
            String ready = runtime.readyLine();
            assertTrue(ready.matches("InfiniteMap Runtime ready in \\d+\\.\\d\\d s: .*"), ready);
            assertTrue(ready.contains("http://127.0.0.1:" + runtime.port + "/infinitemap/"), ready);
            assertTrue(ready.contains("http://127.0.0.1:" + runtime.port + "/system/console"), ready);
            assertEquals(1, runtime.stdout().lines().filter(l -> l.startsWith("InfiniteMap Runtime ready")).count());
            // The script execs the JVM: the PID we started is the runtime's own.
            assertTrue(ProcessHandle.of(runtime.pid()).orElseThrow().info().command().orElse("").endsWith("java"));

            RuntimeProcess.awaitCondition("the sample manifest applied", RuntimeProcess.START_TIMEOUT,
                    () -> runtime.log().lines().anyMatch(l -> l.matches(".*deploy/welcome\\.manifest\\.json applied in \\d+ ms: 77 tiles put, 0 removed \\(compositor welcome, layer 0\\)\\.")));
            for (String sample : new String[] { "spiral", "clock", "region" }) {
                RuntimeProcess.awaitCondition("the " + sample + " sample compositor drawing", RuntimeProcess.START_TIMEOUT, () -> runtime.log()
                        .lines().anyMatch(l -> l.contains("Compositor " + sample + " of bundle dev.infinitemap.compositor." + sample) && l.contains(" drew ")));
            }

            assertEquals(0, runtime.stop());
            assertTrue(runtime.log().contains("InfiniteMap Runtime stopped."));
        }
    }

    @Test
    void helpPrintsTheUsageAndAnUnknownArgumentIsRefusedBothWithoutStarting() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir)) {
            Process help = runtime.launch(List.of("--help"));
            assertTrue(help.waitFor(30, TimeUnit.SECONDS), "--help returns");
            assertEquals(0, help.exitValue());
            assertTrue(runtime.stdout().startsWith("Usage: bin/infinitemap [--help]"), runtime.stdout());
            assertTrue(runtime.stdout().contains("INFINITEMAP_HTTP_PORT"), runtime.stdout());

            Process wrong = runtime.launch(List.of("--port", "9090"));
            assertTrue(wrong.waitFor(30, TimeUnit.SECONDS), "an unknown argument returns");
            assertEquals(2, wrong.exitValue());
            assertTrue(runtime.stderr().startsWith("InfiniteMap Runtime takes no arguments, got: --port 9090"), runtime.stderr());
            assertEquals("", runtime.log(), "nothing started, nothing logged");
            assertFalse(Files.exists(runtime.home.resolve("conf/admin.password")), "no password generated");
        }
    }

    @Test
    void aGeneratedPasswordIsStoredOwnerOnlyPrintedOnceAndKeptAcrossRestarts() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir)) {
            runtime.start();
            Path file = runtime.home.resolve("conf/admin.password");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            String password = Files.readString(file).strip();
            assertTrue(password.length() >= 20);
            assertTrue(runtime.stdout().contains(password), "the first start shows the generated password");
            assertFalse(runtime.log().contains(password), "the password is not written to the log");
            assertEquals(0, runtime.stop());

            runtime.start();
            assertFalse(runtime.stdout().contains(password), "a later start does not show it again");
            assertEquals(password, Files.readString(file).strip());
            assertEquals(200, runtime.get("/system/console/bundles", "admin", password).statusCode());
        }
    }

    @Test
    void aPasswordFromTheEnvironmentIsUsedAndNothingIsWritten() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir).env("INFINITEMAP_ADMIN_PASSWORD", "correct horse battery").start()) {
            assertFalse(Files.exists(runtime.home.resolve("conf/admin.password")));
            assertEquals(200, runtime.get("/system/console/bundles", "admin", "correct horse battery").statusCode());
            assertNotNull(runtime.readyLine());
        }
    }

    @Test
    void theConsoleRefusesMissingCredentialsAndAdminAdmin() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir).start()) {
            assertEquals(401, runtime.get("/system/console/bundles").statusCode());
            assertEquals(401, runtime.get("/system/console/bundles.json", "admin", "admin").statusCode());
            assertEquals(401, runtime.get("/system/console/bundles.json", "admin", runtime.adminPassword() + "x").statusCode());
            assertEquals(200, runtime.getAsAdmin("/system/console/bundles.json").statusCode());
        }
    }

    @Test
    void theConsolePagesForBundlesComponentsConfigurationEventsAndLogWork() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir).start()) {
            String bundles = runtime.getAsAdmin("/system/console/bundles.json").body();
            assertTrue(bundles.contains("all") && bundles.contains("bundles active"), bundles);
            assertTrue(runtime.getAsAdmin("/system/console/components").body().contains("dev.infinitemap.log.LogWriter"));
            assertTrue(runtime.getAsAdmin("/system/console/configMgr").body().contains("InfiniteMap log"));
            assertEquals(200, runtime.getAsAdmin("/system/console/events").statusCode());
            assertEquals(200, runtime.getAsAdmin("/system/console/logs").statusCode());
        }
    }

    @Test
    void theRuntimeFolderWorksFromAnyWorkingDirectoryAndStartsAgainOnTheSameFolder() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir)) {
            runtime.start();
            assertEquals(0, runtime.stop());
            runtime.start();
            assertEquals(200, runtime.getAsAdmin("/system/console/bundles.json").statusCode());
            assertEquals(0, runtime.stop());
        }
    }

    /** Issue: the cache in data/ held the core bundles by their old location, so a copy did not start. */
    @Test
    void aFolderThatHasRunStartsWhenCopiedElsewhereWithItsHotFolderAndSaysItRebuiltItsCache(@TempDir Path elsewhere) throws Exception {
        try (RuntimeProcess original = new RuntimeProcess(dir)) {
            original.start();
            original.deploy("dev.infinitemap.compositor.region.cfg", "originX=-30\noriginY=12\nwidth=3\nheight=2\n".getBytes(StandardCharsets.UTF_8));
            RuntimeProcess.awaitCondition("the region redrawn with 6 tiles", Duration.ofSeconds(20),
                    () -> original.body("/infinitemap/api/compositors").matches("(?s).*\"name\":\"region\".*?\"tiles\":6,.*"));
            assertEquals(0, original.stop());

            try (RuntimeProcess copy = RuntimeProcess.copyOf(original.home, elsewhere)) {
                copy.start();
                String compositors = copy.get("/infinitemap/api/compositors").body();
                for (String name : List.of("welcome", "spiral", "clock")) {
                    assertTrue(compositors.contains("\"name\":\"" + name + "\""), name + " in " + compositors);
                }
                assertTrue(compositors.matches("(?s).*\"name\":\"region\".*?\"tiles\":6,.*"), "the hot folder's configuration is in force: " + compositors);
                String bundles = copy.getAsAdmin("/system/console/bundles.json").body();
                assertTrue(bundles.contains("dev.infinitemap.compositor.spiral"), bundles);
                assertEquals(1, occurrences(copy.log(), "rebuilding the cache"), "said once that it rebuilt its cache:\n" + copy.log());
                assertTrue(copy.log().contains(original.home.toString()), "names the folder the cache was made for");
                assertEquals(0, copy.stop());

                copy.start();
                assertEquals(1, occurrences(copy.log(), "rebuilding the cache"), "a second start of the copy keeps its cache");
                assertEquals(0, copy.stop());
            }
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    @Test
    void filesDeletedWhileTheRuntimeWasDownAreGoneFromTheMapAndTheFrameworkAfterTheNextStart() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir)) {
            runtime.start();
            String compositors = runtime.get("/infinitemap/api/compositors").body();
            assertTrue(compositors.contains("\"name\":\"welcome\"") && compositors.contains("\"name\":\"spiral\""), compositors);
            assertTrue(runtime.getAsAdmin("/system/console/bundles.json").body().contains("dev.infinitemap.compositor.spiral"));
            assertEquals(0, runtime.stop());

            Files.delete(runtime.home.resolve("deploy/welcome.manifest.json"));
            Files.delete(runtime.home.resolve("deploy/dev.infinitemap.compositor.spiral-0.1.0-SNAPSHOT.jar"));
            runtime.start();
            compositors = runtime.get("/infinitemap/api/compositors").body();
            assertFalse(compositors.contains("\"name\":\"welcome\""), compositors);
            assertFalse(compositors.contains("\"name\":\"spiral\""), compositors);
            assertTrue(compositors.contains("\"name\":\"clock\""), compositors);
            assertFalse(runtime.getAsAdmin("/system/console/bundles.json").body().contains("dev.infinitemap.compositor.spiral"),
                    "the deleted jar's bundle was uninstalled, not started again from the framework cache");
            assertEquals(0, runtime.stop());
        }
    }

    /** Issue: a corrupt jar over a good compositor. The version kept running stays so across restarts, and leaves with its file. */
    @Test
    void aCompositorKeptRunningOverACorruptJarStaysSoAfterARestartAndLeavesWhenItsFileIsDeleted() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir)) {
            runtime.start();
            Path spiral = runtime.home.resolve("deploy/dev.infinitemap.compositor.spiral-0.1.0-SNAPSHOT.jar");
            Pattern kept = Pattern.compile("\\{\"name\":\"spiral\",\"kind\":\"bundle\"[^}]*}[^}]*\"tiles\":[1-9]\\d*,\"state\":\"active\"[^}]*"
                    + "\"lastError\":\"deploy/" + spiral.getFileName() + " was replaced by a file that cannot be installed \\(it is not a valid jar");
            runtime.deploy(spiral.getFileName().toString(), "not a jar any more".getBytes(StandardCharsets.UTF_8));
            RuntimeProcess.awaitCondition("the spiral kept drawing, its entry saying why", Duration.ofSeconds(30),
                    () -> kept.matcher(runtime.body("/infinitemap/api/compositors")).find());
            assertEquals(0, runtime.stop());

            runtime.start();
            RuntimeProcess.awaitCondition("the spiral still kept after a restart", Duration.ofSeconds(30),
                    () -> kept.matcher(runtime.body("/infinitemap/api/compositors")).find());
            assertEquals(0, runtime.stop());

            Files.delete(spiral);
            runtime.start();
            assertFalse(runtime.body("/infinitemap/api/compositors").contains("\"name\":\"spiral\""));
            assertFalse(runtime.getAsAdmin("/system/console/bundles.json").body().contains("dev.infinitemap.compositor.spiral"),
                    "the bundle kept from its copy left with its file");
            assertEquals(0, runtime.stop());
        }
    }
}
