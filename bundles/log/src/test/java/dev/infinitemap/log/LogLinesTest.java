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
}
