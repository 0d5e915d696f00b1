package dev.infinitemap.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class WrittenOnceTest {

    @Test
    void entriesDeliveredOutOfOrderAreAllWritten() {
        WrittenOnce once = new WrittenOnce();
        once.historyOffered(9);
        // Two threads logged 11 and 10; the listener got 11 first.
        assertTrue(once.isNew(11));
        assertTrue(once.isNew(10), "the entry numbered first but queued second is still written");
    }

    @Test
    void anEntryInTheHistoryAndDeliveredByTheListenerIsWrittenOnce() {
        WrittenOnce once = new WrittenOnce();
        List<Long> written = new ArrayList<>();
        // The listener is registered first: it delivers 7 and 8 while the history (5..8) is read.
        offer(once, written, 7);
        LongStream.rangeClosed(5, 8).forEach(s -> offer(once, written, s));
        once.historyOffered(8);
        offer(once, written, 8);
        offer(once, written, 6);
        offer(once, written, 9);
        assertEquals(List.of(7L, 5L, 6L, 8L, 9L), written);
    }

    @Test
    void anEmptyHistoryLetsEveryEntryThrough() {
        WrittenOnce once = new WrittenOnce();
        once.historyOffered(-1);
        assertTrue(once.isNew(0));
        assertTrue(once.isNew(3));
        assertTrue(once.isNew(1));
    }

    @Test
    void beforeTheHistoryIsReadARepeatIsRecognised() {
        WrittenOnce once = new WrittenOnce();
        assertTrue(once.isNew(4));
        assertFalse(once.isNew(4));
    }

    private static void offer(WrittenOnce once, List<Long> written, long sequence) {
        if (once.isNew(sequence)) {
            written.add(sequence);
        }
    }
}
