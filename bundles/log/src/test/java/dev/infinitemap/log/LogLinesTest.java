package dev.infinitemap.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogLinesTest {

    @Test
    void theReasonOfEachCauseFollowsTheMessage() {
        Exception cause = new IllegalStateException("boom in activator");
        Exception failure = new RuntimeException("Activator start error in bundle x [7]", cause);
        assertEquals("Error starting bundle: file:/deploy/x.jar: Activator start error in bundle x [7]: boom in activator",
                LogLines.describe("Error starting bundle: file:/deploy/x.jar", failure));
    }

    @Test
    void aReasonAlreadyInTheMessageIsNotRepeated() {
        Exception failure = new RuntimeException("disk full");
        assertEquals("could not write: disk full", LogLines.describe("could not write: disk full", failure));
    }

    @Test
    void anExceptionWithoutMessageIsNamedByItsClass() {
        assertEquals("failed: java.lang.NullPointerException", LogLines.describe("failed", new NullPointerException()));
    }

    @Test
    void aMessageWithoutExceptionIsKeptAsItIs() {
        assertEquals("Installing bundle a / 1.0.0", LogLines.describe("Installing bundle a / 1.0.0 ", null));
    }

    @Test
    void charactersThatCouldForgeOrHideALineAreEscapedAndOrdinaryTextIsKept() {
        assertEquals("deploy/evil\\u000A2026-12-02 INFO forged.manifest.json was not applied",
                LogLines.describe("deploy/evil\n2026-12-02 INFO forged.manifest.json was not applied", null));
        assertEquals("name \\u001B[31mred\\u202E \\uD800 \\u200B end", LogLines.describe("name \u001b[31mred\u202e \ud800 \u200b end", null));
        assertEquals("Karte 地図 \uD83D\uDDFA", LogLines.describe("Karte 地図 \uD83D\uDDFA", null), "readable text, paired surrogates included, stays");
        assertEquals("failed: bad\\u000Dline", LogLines.describe("failed", new IllegalStateException("bad\rline")));
    }
}
