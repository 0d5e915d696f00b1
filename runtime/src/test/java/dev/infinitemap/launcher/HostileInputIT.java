package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and names a careless user or an attacker puts into deploy/: links out of the folder,
 * FIFOs, folders, files that are not JSON, names that would forge log lines. Each gets a clear
 * error, none is read where it must not be, nothing of its content is shown, and the runtime
 * goes on.
 */
class HostileInputIT {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static RuntimeProcess runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = new RuntimeProcess(dir).start();
    }

    @AfterAll
    static void stop() throws Exception {
        assertEquals(0, runtime.stop());
    }

    @Test
    void aLinkOutOfDeployIsNotReadAndAFileThatIsNotJsonIsRefusedWithoutShowingItsContent() throws Exception {
        Path secret = Files.writeString(dir.resolve("shadow"), "root:$6$saltsalt$hashhash:19000:0:99999:7:::\n");
        Files.createSymbolicLink(runtime.home.resolve("deploy/linked.manifest.json"), secret);
        runtime.deploy("plain.manifest.json", Files.readAllBytes(secret));
        String linked = awaitError("linked.manifest.json");
        assertTrue(linked.contains("symbolic link to a file outside deploy/"), linked);
        String plain = awaitError("plain.manifest.json");
        assertTrue(plain.startsWith("invalid JSON at line 1, column "), plain);
        String everything = runtime.get("/infinitemap/api/compositors").body() + runtime.log();
        assertFalse(everything.contains("shadow"), "the link's target is never read nor named: " + everything);
        for (String word : new String[] { "root", "saltsalt", "hashhash" }) {
            assertFalse(everything.contains(word), "\"" + word + "\" of the file is shown: " + everything);
        }
        Files.delete(runtime.home.resolve("deploy/linked.manifest.json"));
        Files.delete(runtime.home.resolve("deploy/plain.manifest.json"));
    }

    @Test
    void aFifoAndAFolderNamedLikeManifestsGetAClearErrorAndHoldUpNothing() throws Exception {
        Path fifo = runtime.home.resolve("deploy/fifo.manifest.json");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        Files.createDirectory(runtime.home.resolve("deploy/folder.manifest.json"));
        assertTrue(awaitError("fifo.manifest.json").contains("not a regular file (a FIFO"));
        assertTrue(awaitError("folder.manifest.json").contains("it is a folder, not a file"));

        // Manifests after them still apply: nothing waits on the FIFO for a writer.
        runtime.deploy("after-fifo.manifest.json", "{ \"0,31000\": {\"brick\": \"a.png\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the next manifest applied", TIMEOUT,
                () -> body("/infinitemap/api/tiles?x0=0&y0=31000&x1=0&y1=31000").contains("\"0,31000\""));
        Files.delete(fifo);
        Files.delete(runtime.home.resolve("deploy/folder.manifest.json"));
        Files.delete(runtime.home.resolve("deploy/after-fifo.manifest.json"));
    }

    @Test
    void namesThatWouldForgeLogLinesOrBreakUtf8AreRefusedAndTheMapStaysValidUtf8() throws Exception {
        runtime.deploy("forger.manifest.json", ("{ \"compositor\": \"x\\nFORGED ERROR the runtime was hacked\\u001b[2J\", \"tiles\": "
                + "{ \"0,32000\": {\"brick\": \"a.png\", \"timestamp\": 1} } }").getBytes(StandardCharsets.UTF_8));
        runtime.deploy("surrogate.manifest.json", "{ \"0,32001\": {\"brick\": \"\\ud800.png\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
        runtime.deploy("hidden.manifest.json", "{ \"0,32002\": {\"brick\": \"grass\\u202egnp.exe\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
        assertTrue(awaitError("forger.manifest.json").startsWith("\"compositor\" must not contain a control character (found U+000A at character 2)"));
        assertTrue(awaitError("surrogate.manifest.json").contains("brick must not contain an unpaired surrogate (found U+D800 at character 1)"));
        assertTrue(awaitError("hidden.manifest.json").contains("brick must not contain an invisible formatting character (bidi or zero-width) (found U+202E"));

        // A file name is input too: one with a newline gives no compositor name, and the log
        // line that says so stays one line, the newline escaped.
        String forgedName = "evil\nFORGED ERROR the runtime was hacked.manifest.json";
        runtime.deploy(forgedName, "{ \"0,32003\": {\"brick\": \"a.png\", \"timestamp\": 1} }".getBytes(StandardCharsets.UTF_8));
        RuntimeProcess.awaitCondition("the oddly named manifest refused", TIMEOUT, () -> runtime.log().contains(
                "deploy/evil\\u000AFORGED ERROR the runtime was hacked.manifest.json was not applied: the compositor name its file name gives must not contain a control character"));
        Files.delete(runtime.home.resolve("deploy").resolve(forgedName));
        assertFalse(runtime.log().lines().anyMatch(line -> line.startsWith("FORGED")), "no forged log line");
        assertFalse(runtime.log().contains("\u001b"), "no terminal escape in the log");
        for (String path : new String[] { "/infinitemap/manifest.json", "/infinitemap/api/tiles?x0=0&y0=32000&x1=0&y1=32002", "/infinitemap/api/compositors" }) {
            byte[] bytes = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            assertTrue(validUtf8(bytes), path + " is valid UTF-8");
        }
        for (String name : new String[] { "forger", "surrogate", "hidden" }) {
            Files.delete(runtime.home.resolve("deploy/" + name + ".manifest.json"));
        }
    }

    private static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The lastError of the manifest compositor of this file, once there is one. */
    private static String awaitError(String file) throws InterruptedException {
        Pattern entry = Pattern.compile("\"file\":\"" + Pattern.quote(file) + "\"[^}]*\"lastError\":\"((?:\\\\.|[^\"\\\\])*)\"");
        String[] error = new String[1];
        RuntimeProcess.awaitCondition("an error for deploy/" + file, TIMEOUT, () -> {
            Matcher m = entry.matcher(body("/infinitemap/api/compositors"));
            if (m.find()) {
                error[0] = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
                return true;
            }
            return false;
        });
        return error[0];
    }

    private static String body(String path) {
        try {
            return runtime.get(path).body();
        } catch (Exception e) {
            return "";
        }
    }
}
