package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jars and configurations dropped into deploy/ of a running runtime, good and bad. */
class HotDeployIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static RuntimeProcess runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = new RuntimeProcess(dir).start();
    }

    @AfterAll
    static void stop() throws Exception {
        assertEquals(0, runtime.stop(), "the runtime still stops cleanly after all the bad input");
    }

    @Test
    void aThirdPartyBundleDroppedIntoDeployBecomesActiveAndGoesAwayWhenDeleted() throws Exception {
        Path jar = runtime.deploy("commons-lang3.jar", TestJars.commonsLang3());
        RuntimeProcess.awaitCondition("commons-lang3 active in the Web Console", TIMEOUT,
                () -> "Active".equals(bundleState("org.apache.commons.lang3")));

        Files.delete(jar);
        RuntimeProcess.awaitCondition("commons-lang3 gone from the Web Console", TIMEOUT,
                () -> bundleState("org.apache.commons.lang3") == null);
    }

    // Each test counts the tiles in its own cells: other tests' compositors may still be settling elsewhere.
    @Test
    void aManifestDroppedEditedAndDeletedChangesItsCellsExactly() throws Exception {
        String cells = "x0=9000&y0=9000&x1=9002&y1=9000";
        runtime.deploy("e2e.manifest.json", ("{ \"9000,9000\": {\"brick\": \"a.png\", \"timestamp\": 1},"
                + " \"9001,9000\": {\"brick\": \"a.png\", \"timestamp\": 1}, \"9002,9000\": {\"brick\": \"a.png\", \"timestamp\": 1} }")
                .getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("three tiles", TIMEOUT, () -> tilesIn(cells) == 3);

        runtime.deploy("e2e.manifest.json", "{ \"9000,9000\": {\"brick\": \"b.png\", \"timestamp\": 2} }".getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("one tile left of the three", TIMEOUT, () -> tilesIn(cells) == 1);
        assertTrue(tiles(cells).contains("\"9000,9000\":{\"brick\":\"b.png\",\"timestamp\":2,"));

        runtime.deploy("e2e.manifest.json", "{ \"9000,9000\": {\"brick\": ".getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the truncated file reported once it stayed so for 2 s", TIMEOUT,
                () -> runtime.log().contains("deploy/e2e.manifest.json was not applied: the file ends early"));
        assertEquals(1, tilesIn(cells), "the last good tiles stay");
        String compositors = runtime.get("/infinitemap/api/compositors").body();
        assertTrue(compositors.matches("(?s).*\\{\"name\":\"e2e\",\"kind\":\"manifest\",\"file\":\"e2e.manifest.json\",\"layer\":0,\"tiles\":1,"
                + "\"state\":\"failed\",\"lastUpdate\":\"[^\"]+\",\"lastError\":\"the file ends early[^\"]*\"}.*"), compositors);

        Files.delete(runtime.home.resolve("deploy/e2e.manifest.json"));
        RuntimeProcess.awaitCondition("its tiles gone", TIMEOUT, () -> tilesIn(cells) == 0);
    }

    @Test
    void aBigManifestSaysItIsBeingReadAndHowLongItTook() throws Exception {
        byte[] big = TestManifests.row(0, 200_000, 12_000, "big.png"); // over 8 MB
        runtime.deploy("big.manifest.json", big);
        // One manifest is one delta: its first and last cells arrive together with all between.
        String ends = "x0=0&y0=12000&x1=199999&y1=12000";
        RuntimeProcess.awaitCondition("the applied line with its time", TIMEOUT, () -> runtime.log().lines()
                .anyMatch(l -> l.matches(".*deploy/big\\.manifest\\.json applied in \\d+ ms: 200000 tiles put, 0 removed.*")));
        assertEquals(200_000, tilesIn(ends));
        assertTrue(runtime.log().contains("Reading deploy/big.manifest.json (" + (big.length >> 20) + " MB)..."), "the start of a long read is told");
        Files.delete(runtime.home.resolve("deploy/big.manifest.json"));
        RuntimeProcess.awaitCondition("its tiles gone", TIMEOUT, () -> tilesIn("x0=0&y0=12000&x1=0&y1=12000") == 0);
        assertEquals(0, tilesIn(ends));
    }

    /** How many tiles {@code GET /infinitemap/api/tiles} lists in a rectangle. */
    private static int tilesIn(String rectangle) {
        return tiles(rectangle).split("\"brick\":", -1).length - 1;
    }

    /** The body of {@code GET /infinitemap/api/tiles} for a rectangle. */
    private static String tiles(String rectangle) {
        try {
            return runtime.get("/infinitemap/api/tiles?" + rectangle).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void replacingACompositorJarUpdatesTheBundleAndMovesItsTilesToTheNewVersionsLayer() throws Exception {
        Path jar = runtime.home.resolve("deploy/dev.infinitemap.compositor.clock-0.1.0-SNAPSHOT.jar");
        String clockAtLayer = "\"name\":\"clock\",\"kind\":\"bundle\",\"bundle\":\\{\"symbolicName\":\"dev.infinitemap.compositor.clock\","
                + "\"version\":\"%s\",\"id\":\\d+},\"layer\":%d,\"tiles\":(\\d+),\"state\":\"active\"";
        Matcher before = Pattern.compile(String.format(clockAtLayer, "0\\.1\\.0\\.SNAPSHOT", 5)).matcher(runtime.get("/infinitemap/api/compositors").body());
        assertTrue(before.find(), "the clock sample on layer 5");
        long id = bundleId("dev.infinitemap.compositor.clock");

        byte[] newVersion = TestJars.rewritten(jar, Map.of("Bundle-Version", "0.1.1"),
                "OSGI-INF/dev.infinitemap.compositor.clock.ClockCompositor.xml",
                xml -> xml.replace("name=\"infinitemap.compositor.layer\" type=\"Integer\" value=\"5\"",
                        "name=\"infinitemap.compositor.layer\" type=\"Integer\" value=\"6\""));
        runtime.deploy(jar.getFileName().toString(), newVersion);
        Pattern after = Pattern.compile(String.format(clockAtLayer, "0\\.1\\.1", 6));
        RuntimeProcess.awaitCondition("the clock's new version on layer 6", TIMEOUT,
                () -> after.matcher(runtime.body("/infinitemap/api/compositors")).find());
        assertEquals(id, bundleId("dev.infinitemap.compositor.clock"), "updated in place, not reinstalled");
        assertEquals(1, countOf("\"name\":\"clock\"", runtime.body("/infinitemap/api/compositors")), "one clock, not the old one beside the new");
        Matcher now = after.matcher(runtime.body("/infinitemap/api/compositors"));
        assertTrue(now.find());
        assertEquals(before.group(1), now.group(1), "the same number of clock tiles, all on the new layer");
    }

    /** Issue: cp spiral.jar zz.jar; rm zz.jar uninstalled the spiral, whose jar was still there. */
    @Test
    void aSecondJarOfAnInstalledBundleIsRefusedNamingBothFilesAndRemovingItLeavesTheOriginal() throws Exception {
        Path original = runtime.home.resolve("deploy/dev.infinitemap.compositor.region-0.1.0-SNAPSHOT.jar");
        runtime.deploy("zz-copy.jar", Files.readAllBytes(original));
        RuntimeProcess.awaitCondition("the copy refused with both files named", TIMEOUT, () -> runtime.log().lines().anyMatch(l ->
                l.contains("deploy/zz-copy.jar was not installed") && l.contains("dev.infinitemap.compositor.region 0.1.0.SNAPSHOT")
                        && l.contains("deploy/dev.infinitemap.compositor.region-0.1.0-SNAPSHOT.jar")));
        Files.delete(runtime.home.resolve("deploy/zz-copy.jar"));
        RuntimeProcess.awaitCondition("the copy's removal noted", TIMEOUT, () -> runtime.log().contains("deploy/zz-copy.jar removed; it had not been installed"));
        assertEquals("Active", bundleState("dev.infinitemap.compositor.region"));
        assertTrue(runtime.body("/infinitemap/api/compositors").matches("(?s).*\\{\"name\":\"region\",\"kind\":\"bundle\"[^}]*}[^}]*\"state\":\"active\".*"),
                runtime.body("/infinitemap/api/compositors"));
    }

    /**
     * Issue: a corrupt jar over a good compositor said nothing in its entry. FileInstall 3.7.4
     * uninstalls a bundle whose jar it can no longer read; the runtime puts the last good version
     * back, and its entry says which file was not installed and why, until a good jar is back:
     * the same version (FileInstall updates the bundle put back), or a new one (it replaces it).
     */
    @Test
    void aCorruptJarReplacingACompositorKeepsTheOldVersionDrawingAndItsEntrySaysWhyUntilAGoodJarIsBack() throws Exception {
        Path region = runtime.home.resolve("deploy/dev.infinitemap.compositor.region-0.1.0-SNAPSHOT.jar");
        UnaryOperator<String> renamed = xml -> xml.replace("name=\"infinitemap.compositor.name\" type=\"String\" value=\"region\"",
                "name=\"infinitemap.compositor.name\" type=\"String\" value=\"victim\"");
        String component = "OSGI-INF/dev.infinitemap.compositor.region.RegionCompositor.xml";
        byte[] victim = TestJars.rewritten(region, Map.of("Bundle-SymbolicName", "test.compositor.victim", "Bundle-Version", "1.0.0"), component, renamed);
        byte[] fixed = TestJars.rewritten(region, Map.of("Bundle-SymbolicName", "test.compositor.victim", "Bundle-Version", "1.1.0"), component, renamed);
        String entry = "\\{\"name\":\"victim\",\"kind\":\"bundle\",\"bundle\":\\{\"symbolicName\":\"test.compositor.victim\",\"version\":\"%s\"[^}]*}"
                + "[^}]*\"tiles\":[1-9]\\d*,\"state\":\"active\"";
        Pattern drawing = Pattern.compile(entry.formatted("1\\.0\\.0") + "[^}]*}");
        Pattern keptWithReason = Pattern.compile(entry.formatted("1\\.0\\.0") + "[^}]*\"lastError\":\"deploy/victim.jar was replaced by a file that cannot be "
                + "installed \\(it is not a valid jar \\(zip\\) file[^\"]*\\), so version 1.0.0 keeps running");
        runtime.deploy("victim.jar", victim);
        RuntimeProcess.awaitCondition("the victim compositor drawing", TIMEOUT, () -> drawing.matcher(runtime.body("/infinitemap/api/compositors")).find()
                && !runtime.body("/infinitemap/api/compositors").contains("lastError\":\"deploy/victim.jar"));
        try {
            runtime.deploy("victim.jar", "truncated, not a jar".getBytes(StandardCharsets.UTF_8));
            RuntimeProcess.awaitCondition("version 1.0.0 drawing again, its entry naming the file and the reason", TIMEOUT,
                    () -> keptWithReason.matcher(runtime.body("/infinitemap/api/compositors")).find());
            assertEquals("Active", bundleState("test.compositor.victim"));
            RuntimeProcess.awaitCondition("the log naming the file, the reason and the bundle kept", TIMEOUT, () -> runtime.log().lines().anyMatch(l ->
                    l.contains("deploy/victim.jar was not installed: it is not a valid jar (zip) file")
                            && l.contains("test.compositor.victim 1.0.0 that it held before keeps running")));

            runtime.deploy("victim.jar", victim);
            RuntimeProcess.awaitCondition("the same good jar back, no error left", TIMEOUT,
                    () -> drawing.matcher(runtime.body("/infinitemap/api/compositors")).find() && !runtime.body("/infinitemap/api/compositors").contains("lastError\":\"deploy/victim.jar"));

            runtime.deploy("victim.jar", "corrupt again".getBytes(StandardCharsets.UTF_8));
            RuntimeProcess.awaitCondition("kept again after a second corrupt copy", TIMEOUT, () -> keptWithReason.matcher(runtime.body("/infinitemap/api/compositors")).find());

            runtime.deploy("victim.jar", fixed);
            Pattern newVersion = Pattern.compile(entry.formatted("1\\.1\\.0") + "[^}]*}");
            RuntimeProcess.awaitCondition("version 1.1.0 drawing alone, no error left", TIMEOUT, () -> {
                String compositors = runtime.body("/infinitemap/api/compositors");
                return newVersion.matcher(compositors).find() && compositors.split("\"name\":\"victim\"", -1).length == 2
                        && !compositors.contains("lastError\":\"deploy/victim.jar");
            });
        } finally {
            Files.delete(runtime.home.resolve("deploy/victim.jar"));
        }
        RuntimeProcess.awaitCondition("the victim gone with its bundle", TIMEOUT, () -> bundleState("test.compositor.victim") == null);
    }

    /** The body of a public GET, for conditions polled in lambdas. */
    private static int countOf(String needle, String text) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }

    @Test
    void theConsoleRefusesAChangeFromAnotherSiteAndTakesOneFromItsOwnPages() throws Exception {
        String path = "/system/console/bundles/" + bundleId("dev.infinitemap.compositor.clock");
        for (String foreign : new String[] { "http://evil.example", "null", "http://127.0.0.1:1" }) {
            assertEquals(403, runtime.postAsAdmin(path, "action=stop", foreign).statusCode(), foreign);
        }
        assertEquals("Active", bundleState("dev.infinitemap.compositor.clock"), "a cross-site request changes nothing, password or not");
        RuntimeProcess.awaitCondition("the refusal in the log", TIMEOUT, () -> runtime.log().contains("Refused a POST to " + path + " from a page of http://evil.example"));

        assertEquals(200, runtime.postAsAdmin(path, "action=stop", "http://127.0.0.1:" + runtime.port).statusCode());
        assertEquals("Resolved", bundleState("dev.infinitemap.compositor.clock"));
        assertEquals(200, runtime.postAsAdmin(path, "action=start", null).statusCode(), "a program without Origin (curl) is no page of another site");
        RuntimeProcess.awaitCondition("the clock back", TIMEOUT, () -> "Active".equals(bundleState("dev.infinitemap.compositor.clock")));
    }

    @Test
    void theCompositorsListNamesTheSampleManifestAndBundles() throws Exception {
        String compositors = runtime.get("/infinitemap/api/compositors").body();
        assertTrue(compositors.contains("{\"name\":\"welcome\",\"kind\":\"manifest\",\"file\":\"welcome.manifest.json\",\"layer\":0,\"tiles\":77,\"state\":\"active\""), compositors);
        assertTrue(compositors.contains("{\"name\":\"clock\",\"kind\":\"bundle\",\"bundle\":{\"symbolicName\":\"dev.infinitemap.compositor.clock\""), compositors);
        // The clock's layer is 5, or 6 once another test replaced its jar.
        assertTrue(compositors.matches("(?s).*\"layer\":[56],\"tiles\":203,\"state\":\"active\".*"), compositors);
    }

    @Test
    void theStatusSaysReadyWithTheMapsFigures() throws Exception {
        String body = runtime.get("/infinitemap/api/status").body();
        assertTrue(body.matches("\\{\"ready\":true,\"revision\":\\d+,\"tiles\":\\d+,\"compositors\":\\d+,\"uptimeMs\":\\d+}"), body);
        assertTrue(status("compositors") >= 3, body); // welcome, clock and region; another test removes the spiral
    }

    /** GET /infinitemap/api/unusable. */
    private static String unusable() {
        try {
            return runtime.get("/infinitemap/api/unusable").body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A number from GET /infinitemap/api/status. */
    private static int status(String field) {
        try {
            Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(runtime.get("/infinitemap/api/status").body());
            assertTrue(m.find(), field);
            return Integer.parseInt(m.group(1));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void deletingASampleCompositorJarTakesItsTilesOffTheMap() throws Exception {
        Files.delete(runtime.home.resolve("deploy/dev.infinitemap.compositor.spiral-0.1.0-SNAPSHOT.jar"));
        RuntimeProcess.awaitCondition("the spiral leaving", TIMEOUT,
                () -> runtime.log().contains("Compositor spiral of bundle dev.infinitemap.compositor.spiral") && runtime.log().contains("left the map with its tiles."));
        RuntimeProcess.awaitCondition("the spiral bundle gone", TIMEOUT, () -> bundleState("dev.infinitemap.compositor.spiral") == null);
        RuntimeProcess.awaitCondition("no spiral tile left on the map", TIMEOUT,
                () -> !tiles("x0=-100&y0=-100&x1=100&y1=100").contains("\"compositor\":\"spiral\""));
    }

    @Test
    void aBundleThatCannotResolveStaysVisibleWithItsMissingPackageNamedInLogAndConsole() throws Exception {
        runtime.deploy("needs-nobody.jar", TestJars.unresolvableBundle("test.needs.nobody", "com.example.nobody.exports.this"));
        RuntimeProcess.awaitCondition("the missing package named in the log", TIMEOUT,
                () -> runtime.log().lines().anyMatch(l -> l.contains("test.needs.nobody") && l.contains("com.example.nobody.exports.this")));
        assertEquals("Installed", bundleState("test.needs.nobody"));

        String details = get("/system/console/bundles/" + bundleId("test.needs.nobody") + ".json");
        assertTrue(details.contains("com.example.nobody.exports.this"), details);
        assertRuntimeHealthy();
    }

    @Test
    void aBundleWhoseActivatorThrowsIsNamedWithTheReason() throws Exception {
        runtime.deploy("throwing.jar", TestJars.throwingActivatorBundle("test.throwing.activator"));
        RuntimeProcess.awaitCondition("the activator's failure in the log", TIMEOUT,
                () -> runtime.log().lines().anyMatch(l -> l.contains("test.throwing.activator") && l.contains("fixture activator refuses to start")));
        assertRuntimeHealthy();
    }

    @Test
    void aComponentThatThrowsInActivateIsNamedWithTheReason() throws Exception {
        runtime.deploy("throwing-component.jar", TestJars.throwingComponentBundle("test.throwing.component"));
        RuntimeProcess.awaitCondition("the component's failure in the log", TIMEOUT,
                () -> runtime.log().lines().anyMatch(l -> l.contains("test.throwing.component") && l.contains("fixture component refuses to activate")));
        assertEquals("Active", bundleState("test.throwing.component"), "the bundle itself is started; only its component failed");
        assertRuntimeHealthy();
    }

    @Test
    void aJarThatIsNotAZipGetsOneClearLineNamingTheFile() throws Exception {
        runtime.deploy("not-a-zip.jar", "this is text, not a jar".getBytes(StandardCharsets.UTF_8));
        String expected = "deploy/not-a-zip.jar was not installed: it is not a valid jar (zip) file";
        RuntimeProcess.awaitCondition("the line about not-a-zip.jar", TIMEOUT, () -> runtime.log().contains(expected));
        // A second broken jar is reported only after it has been still for 2 s: by then FileInstall
        // has scanned deploy/ about a hundred times, and the first jar must still have one line.
        runtime.deploy("later.jar", "also not a jar".getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the line about later.jar", TIMEOUT, () -> runtime.log().contains("deploy/later.jar was not installed"));
        assertEquals(1, runtime.log().lines().filter(l -> l.contains(expected)).count(), "said once, not on every scan");
        assertRuntimeHealthy();
    }

    @Test
    void aJarWithoutOsgiManifestGetsOneClearLineNamingTheFile() throws Exception {
        runtime.deploy("plain.jar", TestJars.jar(Map.of("Created-By", "a test"), Map.of("a.txt", new byte[] { 'a' })));
        RuntimeProcess.awaitCondition("the line about plain.jar", TIMEOUT,
                () -> runtime.log().contains("deploy/plain.jar was not installed: its manifest has no Bundle-SymbolicName header"));
        assertRuntimeHealthy();
    }

    @Test
    void anUnusableJarIsListedWithItsReasonUntilItIsFixed() throws Exception {
        Path jar = runtime.deploy("fix-me.jar", "not a jar yet".getBytes(StandardCharsets.UTF_8));
        Pattern listed = Pattern.compile("\\{\"file\":\"deploy/fix-me.jar\",\"reason\":\"it is not a valid jar \\(zip\\) file[^\"]*\",\"since\":\"[0-9T:.Z-]+\"}");
        RuntimeProcess.awaitCondition("fix-me.jar listed as unusable", TIMEOUT, () -> listed.matcher(unusable()).find());
        // Fixed: a real bundle in its place is installed, and the entry goes.
        runtime.deploy("fix-me.jar", TestJars.jar(Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "test.fixed.jar", "Bundle-Version", "1.0.0"), Map.of()));
        RuntimeProcess.awaitCondition("the fixed bundle active", TIMEOUT, () -> "Active".equals(bundleState("test.fixed.jar")));
        RuntimeProcess.awaitCondition("fix-me.jar no longer listed", TIMEOUT, () -> !unusable().contains("fix-me.jar"));
        // Another broken jar, then deleted: listed, then gone. (Not fix-me.jar again: a broken file
        // where a bundle's jar was deleted a moment ago is taken for its replacement, and that
        // bundle is kept running from its copy and reported on its own entry.)
        Files.delete(jar);
        RuntimeProcess.awaitCondition("the fixed bundle gone", TIMEOUT, () -> bundleState("test.fixed.jar") == null);
        Path other = runtime.deploy("gone-soon.jar", "broken".getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("gone-soon.jar listed", TIMEOUT, () -> unusable().contains("{\"file\":\"deploy/gone-soon.jar\",\"reason\":\"it is not a valid jar (zip) file"));
        Files.delete(other);
        RuntimeProcess.awaitCondition("no longer listed once deleted", TIMEOUT, () -> !unusable().contains("gone-soon.jar"));
        assertRuntimeHealthy();
    }

    @Test
    void aConfigurationWithASyntaxErrorIsNamedWithTheReason() throws Exception {
        runtime.deploy("broken.cfg", "name = \\u12G4 not an escape\n".getBytes(StandardCharsets.ISO_8859_1));
        RuntimeProcess.awaitCondition("the line about broken.cfg", TIMEOUT,
                () -> runtime.log().lines().anyMatch(l -> l.contains("broken.cfg") && l.contains("ERROR")));
        assertRuntimeHealthy();
    }

    @Test
    void aCfgFileReconfiguresAComponentLiveAndDeletingItRestoresTheDefault() throws Exception {
        // The log writer prints stack traces only at DEBUG: a visible, live change of behaviour.
        Path cfg = runtime.deploy("dev.infinitemap.log.cfg", "level = DEBUG\n".getBytes(StandardCharsets.ISO_8859_1));
        RuntimeProcess.awaitCondition("the DEBUG level in the console's configuration", TIMEOUT,
                () -> configuration("dev.infinitemap.log").contains("\"value\":\"DEBUG\""));
        runtime.deploy("traced.jar", TestJars.unresolvableBundle("test.traced", "com.example.traced.missing"));
        RuntimeProcess.awaitCondition("a stack trace after the failure line", TIMEOUT,
                () -> runtime.log().contains("com.example.traced.missing") && runtime.log().contains("\tat org.apache.felix.framework."));

        Files.delete(cfg);
        RuntimeProcess.awaitCondition("the configuration removed", TIMEOUT, () -> !configuration("dev.infinitemap.log").contains("\"value\":\"DEBUG\""));
    }

    private static String configuration(String pid) {
        try {
            return runtime.getAsAdmin("/system/console/configMgr/" + pid + ".json").body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRuntimeHealthy() throws Exception {
        String bundles = get("/system/console/bundles.json");
        for (String core : new String[] { "org.apache.felix.fileinstall", "org.apache.felix.webconsole", "dev.infinitemap.daemon" }) {
            assertEquals("Active", bundleState(core), core + " in " + bundles);
        }
    }

    private static String get(String path) throws Exception {
        var response = runtime.getAsAdmin(path);
        assertEquals(200, response.statusCode(), path);
        return response.body();
    }

    /** The state the Web Console shows for a bundle, or null when it is not installed. */
    private static String bundleState(String symbolicName) {
        Matcher m = bundleEntry(symbolicName).matcher(bundlesJson());
        return m.find() ? m.group(1) : null;
    }

    private static long bundleId(String symbolicName) {
        Matcher m = Pattern.compile("\\{\"id\":(\\d+),[^}]*\"symbolicName\":\"" + Pattern.quote(symbolicName) + "\"").matcher(bundlesJson());
        assertTrue(m.find(), symbolicName + " is listed");
        return Long.parseLong(m.group(1));
    }

    private static Pattern bundleEntry(String symbolicName) {
        return Pattern.compile("\"state\":\"(\\w+)\",[^}]*\"symbolicName\":\"" + Pattern.quote(symbolicName) + "\"");
    }

    private static String bundlesJson() {
        try {
            return runtime.getAsAdmin("/system/console/bundles.json").body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
