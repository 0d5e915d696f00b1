package dev.infinitemap.web.tiles;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import dev.infinitemap.web.BrickSource;

/**
 * How a brick looks on a slippy tile: its image scaled to a cell's size, and one colour for
 * zooms where a cell is a few pixels or less (the average of its image's visible pixels). A
 * brick without a readable image gets the viewer's placeholder colour, derived from its name,
 * so the page and the tiles agree. Looks are kept for the most recently used bricks.
 */
final class BrickLooks {

    /** Bigger images are not decoded: a brick is drawn at 32 pixels at the most. */
    static final int MAX_IMAGE_SIDE = 4096;
    private static final int KEPT = 512;

    /** A brick's colour (ARGB; alpha 0 draws nothing) and its image, null when it has none. */
    record Look(int argb, BufferedImage image, Map<Integer, BufferedImage> scaled) {
        /** @return the image at a square size, made once per size */
        BufferedImage at(int size) {
            synchronized (scaled) {
                return scaled.computeIfAbsent(size, s -> {
                    BufferedImage out = new BufferedImage(s, s, BufferedImage.TYPE_INT_ARGB);
                    Graphics2D g = out.createGraphics();
                    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                    g.drawImage(image, 0, 0, s, s, null);
                    g.dispose();
                    return out;
                });
            }
        }
    }

    private final BrickSource source;
    private final Map<String, Look> looks = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Look> eldest) {
            return size() > KEPT;
        }
    };

    BrickLooks(BrickSource source) {
        this.source = source;
    }

    Look look(String brick) {
        synchronized (looks) {
            Look known = looks.get(brick);
            if (known != null) {
                return known;
            }
        }
        BufferedImage image = read(brick);
        Look look = new Look(image == null ? placeholder(brick) : average(image), image, new LinkedHashMap<>());
        synchronized (looks) {
            looks.put(brick, look);
        }
        return look;
    }

    private BufferedImage read(String brick) {
        try (InputStream in = source.open(brick)) {
            if (in == null) {
                return null;
            }
            try (ImageInputStream image = ImageIO.createImageInputStream(in)) {
                Iterator<ImageReader> readers = image == null ? null : ImageIO.getImageReaders(image);
                if (readers == null || !readers.hasNext()) {
                    return null; // e.g. SVG or WebP: no reader in the JDK, the placeholder colour stands in
                }
                ImageReader reader = readers.next();
                try {
                    reader.setInput(image, true, true);
                    if (reader.getWidth(0) > MAX_IMAGE_SIDE || reader.getHeight(0) > MAX_IMAGE_SIDE) {
                        return null;
                    }
                    return reader.read(0);
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // a broken image is drawn as its placeholder, as the viewer does
        }
    }

    /** The average colour of the image's pixels, weighted by their opacity; transparent if none shows. */
    static int average(BufferedImage image) {
        long r = 0;
        long g = 0;
        long b = 0;
        long a = 0;
        int stepX = Math.max(1, image.getWidth() / 64);
        int stepY = Math.max(1, image.getHeight() / 64);
        long samples = 0;
        for (int y = 0; y < image.getHeight(); y += stepY) {
            for (int x = 0; x < image.getWidth(); x += stepX) {
                int argb = image.getRGB(x, y);
                int alpha = argb >>> 24;
                r += (long) ((argb >> 16) & 0xFF) * alpha;
                g += (long) ((argb >> 8) & 0xFF) * alpha;
                b += (long) (argb & 0xFF) * alpha;
                a += alpha;
                samples++;
            }
        }
        if (a == 0) {
            return 0;
        }
        int alpha = (int) Math.min(255, Math.round((double) a / samples));
        return alpha << 24 | (int) (r / a) << 16 | (int) (g / a) << 8 | (int) (b / a);
    }

    /** The viewer's placeholder: hsl(hash mod 360, 45%, 42%) of the name's Java (and JavaScript) string hash. */
    static int placeholder(String brick) {
        double hue = Math.abs((long) brick.hashCode()) % 360;
        double s = 0.45;
        double l = 0.42;
        double c = (1 - Math.abs(2 * l - 1)) * s;
        double h = hue / 60;
        double x = c * (1 - Math.abs(h % 2 - 1));
        double[] rgb = h < 1 ? new double[] { c, x, 0 } : h < 2 ? new double[] { x, c, 0 } : h < 3 ? new double[] { 0, c, x }
                : h < 4 ? new double[] { 0, x, c } : h < 5 ? new double[] { x, 0, c } : new double[] { c, 0, x };
        double m = l - c / 2;
        return 0xFF00_0000 | channel(rgb[0] + m) << 16 | channel(rgb[1] + m) << 8 | channel(rgb[2] + m);
    }

    private static int channel(double value) {
        return (int) Math.round(Math.max(0, Math.min(1, value)) * 255);
    }
}
