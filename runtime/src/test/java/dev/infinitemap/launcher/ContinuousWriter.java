package dev.infinitemap.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.locks.LockSupport;

/**
 * Rewrites one manifest again and again, as non-atomic writers do: in place (open with
 * truncate, write, close: the old Geometry OS writer) or by renaming a complete copy over it.
 * Version {@code v} holds {@link #CELLS} cells of row {@code y}, every one with brick
 * {@code v<v>.png}, so a state that mixes two versions shows two bricks. It records when each
 * version was complete on disk.
 */
final class ContinuousWriter implements Runnable {

    // 20 kB a version: more than a read buffer, so a read racing a rewrite can join two versions.
    static final int CELLS = 400;

    enum Style { IN_PLACE, RENAME }

    private final Path target;
    private final Style style;
    private final int y;
    private final int versions;
    private final long periodNanos;
    final long[] completedNanos;

    ContinuousWriter(Path target, Style style, int y, int versions, int perSecond) {
        this.target = target;
        this.style = style;
        this.y = y;
        this.versions = versions;
        this.periodNanos = 1_000_000_000L / perSecond;
        this.completedNanos = new long[versions + 1];
    }

    static byte[] version(int y, int v) {
        return TestManifests.row(0, CELLS, y, "v" + v + ".png");
    }

    @Override
    public void run() {
        Path staging = target.resolveSibling("../" + target.getFileName() + ".part").normalize();
        long next = System.nanoTime();
        try {
            for (int v = 1; v <= versions; v++) {
                byte[] content = version(y, v);
                if (style == Style.IN_PLACE) {
                    Files.write(target, content); // CREATE, TRUNCATE_EXISTING, WRITE
                } else {
                    Files.write(staging, content);
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                completedNanos[v] = System.nanoTime();
                // Paces the writer to its rate; it simulates a writer, it synchronises nothing.
                next += periodNanos;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
