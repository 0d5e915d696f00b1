package dev.infinitemap.compositor.clock;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.compositor.Compositor;
import dev.infinitemap.api.compositor.CompositorComponent;
import dev.infinitemap.api.compositor.TileCanvas;

/**
 * Shows the time as HH:MM:SS in 3x5 digits on a dark face above the origin, redrawn every
 * second: a sample of a compositor that changes over time. The canvas publishes only the
 * cells that differ from the previous second.
 */
@Component
@CompositorComponent(name = "clock", layer = 5)
public class ClockCompositor implements Compositor {

    static final int LEFT = -16;
    static final int TOP = -12;

    private static final String[] DIGITS = {
        "111101101101111", "010110010010111", "111001111100111", "111001111001111", "101101111001001",
        "111100111001111", "111100111101111", "111001001001001", "111101111101111", "111101111001111" };

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "infinitemap-clock");
        thread.setDaemon(true);
        return thread;
    });

    // Drawn by the render call, then only by the ticker thread, which the schedule call hands it to.
    private List<Tile> shown = List.of();

    @Override
    public void render(TileCanvas canvas) {
        tick(canvas);
        ticker.scheduleAtFixedRate(() -> tick(canvas), 1000 - System.currentTimeMillis() % 1000, 1000, TimeUnit.MILLISECONDS);
    }

    private void tick(TileCanvas canvas) {
        shown = next(shown, LocalTime.now(), now());
        canvas.draw(shown);
    }

    @Deactivate
    void deactivate() {
        ticker.shutdownNow();
    }

    /**
     * The face for a time, where a cell whose brick stays keeps its tile from {@code shown}:
     * with its old timestamp it is no change, so a second costs the few cells of the digits
     * that changed, not the whole face.
     */
    static List<Tile> next(List<Tile> shown, LocalTime time, double timestamp) {
        List<Tile> face = face(time, timestamp);
        if (shown.size() == face.size()) {
            for (int i = 0; i < face.size(); i++) {
                if (shown.get(i).brick().equals(face.get(i).brick())) {
                    face.set(i, shown.get(i));
                }
            }
        }
        return face;
    }

    /** The clock face for a time: a dark background with the digits and colons in light bricks. */
    static List<Tile> face(LocalTime time, double timestamp) {
        String text = String.format("%02d%02d%02d", time.getHour(), time.getMinute(), time.getSecond());
        int width = 6 * 4 + 2 * 2 + 1;
        boolean[][] lit = new boolean[7][width];
        int x = 1;
        for (int i = 0; i < 6; i++) {
            String glyph = DIGITS[text.charAt(i) - '0'];
            for (int row = 0; row < 5; row++) {
                for (int col = 0; col < 3; col++) {
                    lit[row + 1][x + col] = glyph.charAt(row * 3 + col) == '1';
                }
            }
            x += 4;
            if (i == 1 || i == 3) {
                lit[2][x] = true;
                lit[4][x] = true;
                x += 2;
            }
        }
        List<Tile> tiles = new ArrayList<>();
        for (int row = 0; row < lit.length; row++) {
            for (int col = 0; col < width; col++) {
                tiles.add(new Tile(LEFT + col, TOP + row, lit[row][col] ? "clock-digit.png" : "clock-face.png", timestamp));
            }
        }
        return tiles;
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }
}
