package dev.infinitemap.web.socket;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A snapshot message of the whole map at one revision, rendered once and sent to every client
 * that needs one. Its characters count once in the feed's budget of buffered bytes, from the
 * first client that holds it to the last one that let go of it.
 */
final class SharedSnapshot {

    private final long revision;
    private final String message;
    private final AtomicLong buffered;
    private final AtomicInteger holders = new AtomicInteger();

    SharedSnapshot(long revision, String message, AtomicLong buffered) {
        this.revision = revision;
        this.message = message;
        this.buffered = buffered;
    }

    long revision() {
        return revision;
    }

    String message() {
        return message;
    }

    void hold() {
        if (holders.getAndIncrement() == 0) {
            buffered.addAndGet(message.length());
        }
    }

    void release() {
        if (holders.decrementAndGet() == 0) {
            buffered.addAndGet(-message.length());
        }
    }
}
