package dev.infinitemap.log;

import java.util.HashSet;
import java.util.Set;

/**
 * Which log entries are new to the log file, when the log's history, read once at start, overlaps
 * what its listener delivers.
 * <p>
 * Sequence numbers cannot be compared with the last one written: the Felix log numbers an entry
 * when it is made, on the logging thread, and queues it afterwards, so two threads logging at once
 * reach the listener in either order (a FileInstall warning lost behind the framework's echo of
 * the same bundle event). Only the entries of the history are remembered, and only until it is
 * read; after that, an entry numbered beyond the history is new by construction.
 */
final class WrittenOnce {

    private final Set<Long> seen = new HashSet<>();
    private long historyEnd = Long.MAX_VALUE;

    /** True the first time an entry with this sequence number is offered. */
    synchronized boolean isNew(long sequence) {
        return sequence > historyEnd || seen.add(sequence);
    }

    /**
     * The history has been offered; {@code lastSequence} is its newest entry's number (-1 for none).
     * Entries after it can come only once, from the listener, so they need not be remembered.
     */
    synchronized void historyOffered(long lastSequence) {
        historyEnd = lastSequence;
        seen.removeIf(sequence -> sequence > lastSequence);
    }
}
