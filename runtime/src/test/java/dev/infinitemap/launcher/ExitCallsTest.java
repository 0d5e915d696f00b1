package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitCallsTest {

    @TempDir
    Path home;

    private static StackTraceElement frame(String type, String method) {
        return new StackTraceElement(type, method, null, -1);
    }

    @Test
    void theCallersOfExitAreTheFramesBelowSystemExitNearestFirst() {
        StackTraceElement[] stack = {
            frame("java.lang.Thread", "join"), frame("java.lang.ApplicationShutdownHooks", "runHooks"),
            frame("java.lang.Shutdown", "exit"), frame("java.lang.Runtime", "exit"), frame("java.lang.System", "exit"),
            frame("com.example.Render", "draw"), frame("org.apache.felix.scr.Thing", "call") };
        assertEquals(List.of("com.example.Render", "org.apache.felix.scr.Thing"), ExitCalls.callersOfExit(stack));
    }

    @Test
    void aCallOfRuntimeExitItselfCounts() {
        StackTraceElement[] stack = { frame("java.lang.Shutdown", "exit"), frame("java.lang.Runtime", "exit"), frame("com.example.Bad", "run") };
        assertEquals(List.of("com.example.Bad"), ExitCalls.callersOfExit(stack));
    }

    @Test
    void aThreadNotInExitHasNoCallers() {
        StackTraceElement[] stack = { frame("java.lang.Object", "wait"), frame("com.example.Exit", "exit"), frame("com.example.Main", "main") };
        assertTrue(ExitCalls.callersOfExit(stack).isEmpty());
    }

    @Test
    void recordedCallsAreReadBackAndALaterCallOfTheSameBundleReplacesTheEarlier() throws Exception {
        ExitCalls.record(home, new ExitCalls.Call("file:/x/deploy/a.jar", 5, "com.example.A"));
        ExitCalls.record(home, new ExitCalls.Call("file:/x/deploy/b.jar", 6, "com.example.B"));
        ExitCalls.record(home, new ExitCalls.Call("file:/x/deploy/a.jar", 7, "com.example.A2"));
        List<ExitCalls.Call> calls = ExitCalls.read(home).stream().sorted(java.util.Comparator.comparing(ExitCalls.Call::location)).toList();
        assertEquals(List.of(new ExitCalls.Call("file:/x/deploy/a.jar", 7, "com.example.A2"), new ExitCalls.Call("file:/x/deploy/b.jar", 6, "com.example.B")), calls);
    }

    @Test
    void aLocationInTheRuntimeFolderIsShownRelativeToIt() {
        assertEquals("deploy/x.jar", ExitCalls.shortLocation(home, home.resolve("deploy/x.jar").toUri() + "#last-good"));
        assertEquals("inputstream:x", ExitCalls.shortLocation(home, "inputstream:x"));
    }
}
