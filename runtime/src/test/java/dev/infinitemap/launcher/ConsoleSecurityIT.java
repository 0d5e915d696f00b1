package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Web Console's door: its password, failed logins, framing by other sites, TRACE. */
class ConsoleSecurityIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void adminStoredAsThePasswordIsRefusedAtStartAndAFileOthersCanReadIsWarnedAbout() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir)) {
            Path file = runtime.home.resolve("conf/admin.password");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "admin\n");
            Process refused = runtime.launch(java.util.List.of());
            assertTrue(refused.waitFor(60, TimeUnit.SECONDS), "a start with admin as password returns");
            assertEquals(2, refused.exitValue());
            assertTrue((runtime.stderr() + runtime.log()).contains("conf/admin.password contains \"admin\""), runtime.stderr() + runtime.log());
            assertEquals(-1, HttpProbe.status("127.0.0.1", runtime.port, "/system/console"), "nothing listens");

            Files.writeString(file, "a long enough password\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            runtime.start();
            assertTrue(runtime.log().contains("conf/admin.password can be read by other users (rw-r--r--); make it readable by its owner only"),
                    runtime.log());
            assertEquals(200, runtime.get("/system/console/bundles.json", "admin", "a long enough password").statusCode());
        }
    }

    @Test
    void failedLoginsAreLoggedWithTheAddressAndAnAddressThatKeepsFailingWaitsLongerEachTime() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir).start()) {
            for (int attempt = 1; attempt <= 4; attempt++) {
                assertEquals(401, runtime.get("/system/console/bundles.json", "admin", "guess " + attempt).statusCode(), "attempt " + attempt);
            }
            RuntimeProcess.awaitCondition("the fourth failure logged", TIMEOUT, () -> runtime.log()
                    .contains("Failed Web Console login as \"admin\" from 127.0.0.1 (4 in a row); its next attempt is refused for 1 s."));
            assertTrue(runtime.log().contains("Failed Web Console login as \"admin\" from 127.0.0.1 (1 in a row)."), runtime.log());

            // Refused before the password is even checked, the right one included, and told for how long.
            HttpResponse<String> waiting = runtime.getAsAdmin("/system/console/bundles.json");
            assertEquals(429, waiting.statusCode());
            assertEquals("1", waiting.headers().firstValue("Retry-After").orElse(null));
            assertTrue(runtime.get("/infinitemap/api/status").body().contains("\"ready\":true"), "the viewer's API is not throttled");

            // After the wait the right password works, and the address starts afresh.
            RuntimeProcess.awaitCondition("the right password taken after the wait", TIMEOUT,
                    () -> adminStatus(runtime, "/system/console/bundles.json") == 200);
            assertEquals(401, runtime.get("/system/console/bundles.json", "admin", "one more typo").statusCode());
            RuntimeProcess.awaitCondition("a success forgot the failures before it", TIMEOUT,
                    () -> runtime.log().lines().filter(l -> l.contains("(1 in a row).")).count() == 2);

            // Six more failures in a row: the waits double (1, 2, 4 s...), so guessing slows to a crawl.
            long start = System.nanoTime();
            int checked = 0;
            int refusedAtOnce = 0;
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3)) {
                int code = runtime.get("/system/console/bundles.json", "admin", "guess").statusCode();
                if (code == 401) {
                    checked++;
                } else {
                    assertEquals(429, code);
                    refusedAtOnce++;
                }
            }
            System.out.printf("Guessing for 3 s: %d guesses checked, %d refused at once%n", checked, refusedAtOnce);
            assertTrue(checked <= 5, checked + " guesses checked in 3 s");
        }
    }

    private static int adminStatus(RuntimeProcess runtime, String path) {
        try {
            return runtime.getAsAdmin(path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void everyConsoleResponseForbidsFramingByOtherSitesAndTraceIsRefusedEverywhere() throws Exception {
        try (RuntimeProcess runtime = new RuntimeProcess(dir).start()) {
            for (HttpResponse<String> response : java.util.List.of(runtime.get("/system/console/bundles"), runtime.getAsAdmin("/system/console/bundles"),
                    runtime.getAsAdmin("/system/console/infinitemap"), runtime.getAsAdmin("/system/console/bundles.json"))) {
                assertEquals("SAMEORIGIN", response.headers().firstValue("X-Frame-Options").orElse(null), response.uri().toString());
                assertEquals("frame-ancestors 'self'", response.headers().firstValue("Content-Security-Policy").orElse(null), response.uri().toString());
            }
            for (String path : java.util.List.of("/system/console/bundles", "/infinitemap/", "/infinitemap/api/status")) {
                HttpResponse<String> trace = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port + path))
                        .method("TRACE", HttpRequest.BodyPublishers.noBody()).header("X-Secret", "do-not-echo").build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(405, trace.statusCode(), path);
                assertFalse(trace.body().contains("do-not-echo"), path + " echoed: " + trace.body());
            }
        }
    }
}
