package dev.infinitemap.daemon.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Reads a file that a writer may be rewriting in place (open with truncate, write, close), and
 * returns only content that was on disk as a whole: a read during which the file's size,
 * modification time or identity changed is discarded and tried again. A file modified within
 * the file system's timestamp granularity of the read may have changed without its time
 * moving, so it is read a second time and kept only when both reads agree.
 */
public final class StableRead {

    /** How a read ended. */
    public enum Outcome {
        /** {@link Result#bytes()} holds the file as it was on disk. */
        STABLE,
        /** The file changed during every try: read it again a moment later. */
        CHANGING,
        /** The file is gone. */
        GONE,
        /** Over the size limit; {@link Result#problem()} says so. */
        TOO_BIG,
        /** It cannot be read; {@link Result#problem()} says why. */
        UNREADABLE
    }

    /**
     * @param outcome how the read ended
     * @param bytes the content, for {@link Outcome#STABLE}
     * @param modifiedMillis the file's modification time, for {@link Outcome#STABLE}
     * @param problem what is wrong, for {@link Outcome#TOO_BIG} and {@link Outcome#UNREADABLE}
     */
    public record Result(Outcome outcome, byte[] bytes, Stamp stamp, String problem) {
        /** @return the file's modification time in milliseconds */
        public long modifiedMillis() {
            return stamp.modifiedNanos() / 1_000_000L;
        }
    }

    /**
     * What identifies one version of a file without reading it.
     *
     * @param size its size
     * @param modifiedNanos its modification time
     * @param key its identity on the file system (the inode), or null
     */
    public record Stamp(long size, long modifiedNanos, Object key) {
        static Stamp of(BasicFileAttributes attributes) {
            return new Stamp(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), attributes.fileKey());
        }

        /** @return the stamp of the file now, or null if it cannot be read */
        public static Stamp of(Path file) {
            try {
                return of(Files.readAttributes(file, BasicFileAttributes.class));
            } catch (IOException e) {
                return null;
            }
        }

        /** @return whether the time is old enough that a change since would have moved it */
        public boolean settled() {
            return settled(TIMESTAMP_SLACK_NANOS);
        }

        /** @return whether the file was last modified more than this long ago */
        public boolean settled(long nanos) {
            return modifiedNanos < System.currentTimeMillis() * 1_000_000L - nanos;
        }
    }

    static final int TRIES = 20;
    // Linux stamps files from a coarse clock (a few ms); a write this close to the read may not show in the time.
    static final long TIMESTAMP_SLACK_NANOS = 50_000_000L;

    private StableRead() {
    }

    /**
     * @param file the file
     * @param maxBytes the largest file read; a larger one is {@link Outcome#TOO_BIG}
     * @return the file as it was on disk, or why not
     */
    public static Result of(Path file, long maxBytes) {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            try {
                long start = System.currentTimeMillis() * 1_000_000L;
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                if (!attributes.isRegularFile()) {
                    // Reading a FIFO would wait for a writer forever; a folder or device is no file to read.
                    return new Result(Outcome.UNREADABLE, null, null, attributes.isDirectory() ? "it is a folder, not a file"
                            : "it is not a regular file (a FIFO, a socket or a device), so it is not read");
                }
                Stamp before = Stamp.of(attributes);
                if (before.size() > maxBytes) {
                    return new Result(Outcome.TOO_BIG, null, before, "the file is " + before.size() + " bytes, over the limit of " + maxBytes);
                }
                byte[] bytes = Files.readAllBytes(file);
                Stamp after = Stamp.of(Files.readAttributes(file, BasicFileAttributes.class));
                if (!before.equals(after) || bytes.length != after.size()) {
                    Thread.onSpinWait();
                    continue;
                }
                if (after.modifiedNanos() >= start - TIMESTAMP_SLACK_NANOS) {
                    byte[] again = Files.readAllBytes(file);
                    if (!Arrays.equals(bytes, again) || !after.equals(Stamp.of(Files.readAttributes(file, BasicFileAttributes.class)))) {
                        continue;
                    }
                }
                return new Result(Outcome.STABLE, bytes, after, null);
            } catch (NoSuchFileException e) {
                return new Result(Outcome.GONE, null, null, null);
            } catch (IOException e) {
                return new Result(Outcome.UNREADABLE, null, null, "cannot read the file: " + e.getMessage());
            }
        }
        return new Result(Outcome.CHANGING, null, null, null);
    }
}
