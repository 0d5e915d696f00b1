package dev.infinitemap.web.tiles;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

import javax.imageio.ImageIO;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.PlacedTile;

/**
 * Draws one slippy tile from the map: from zoom 27 (8 pixels a cell) each cell shows its brick's
 * image, from zoom 24 (a pixel a cell) its brick's colour, and below, one pixel per square of
 * cells shows the colour of the square's first tile in {@link InfiniteMap#overview}. The map is
 * asked only for the tile's rectangle, so the cost follows what the tile shows.
 */
final class TileRenderer {

    /** From this many pixels a cell the brick's image is drawn instead of its colour. */
    static final int IMAGE_FROM_PX = 8;

    /** A drawn tile and the map revision it shows. */
    record Rendered(byte[] png, long revision, int tiles) {
    }

    private final BrickLooks looks;
    private final byte[] empty;

    TileRenderer(BrickLooks looks) {
        this.looks = looks;
        this.empty = png(new BufferedImage(SlippyGrid.TILE_PX, SlippyGrid.TILE_PX, BufferedImage.TYPE_INT_ARGB));
    }

    /** Draws a tile of the map without the hidden compositors' tiles (none hidden: the whole map). */
    Rendered render(InfiniteMap map, int z, long tx, long ty, Set<String> hidden) {
        int x0 = SlippyGrid.firstCell(z, tx);
        int y0 = SlippyGrid.firstCell(z, ty);
        int x1 = SlippyGrid.lastCell(z, tx);
        int y1 = SlippyGrid.lastCell(z, ty);
        int shift = SlippyGrid.ONE_PIXEL_ZOOM - z; // negative: pixels per cell as a power of two
        InfiniteMap.Snapshot shown = shift > 0 ? map.overview(x0, y0, x1, y1, shift, hidden) : map.tiles(x0, y0, x1, y1, hidden);
        if (shown.tiles().isEmpty()) {
            return new Rendered(empty, shown.revision(), 0);
        }
        BufferedImage image = new BufferedImage(SlippyGrid.TILE_PX, SlippyGrid.TILE_PX, BufferedImage.TYPE_INT_ARGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        if (shift >= 0) {
            for (PlacedTile placed : shown.tiles()) {
                Tile tile = placed.tile();
                int px = (tile.x() - x0) >>> shift;
                int py = (tile.y() - y0) >>> shift;
                pixels[py * SlippyGrid.TILE_PX + px] = looks.look(tile.brick()).argb();
            }
        } else {
            int size = 1 << -shift;
            Graphics2D g = null;
            for (PlacedTile placed : shown.tiles()) {
                Tile tile = placed.tile();
                int px = (tile.x() - x0) * size;
                int py = (tile.y() - y0) * size;
                BrickLooks.Look look = looks.look(tile.brick());
                if (size >= IMAGE_FROM_PX && look.image() != null) {
                    if (g == null) {
                        g = image.createGraphics();
                    }
                    g.drawImage(look.at(size), px, py, null);
                } else if (look.argb() != 0) {
                    fill(pixels, px, py, size, look.argb());
                }
            }
            if (g != null) {
                g.dispose();
            }
        }
        return new Rendered(png(image), shown.revision(), shown.tiles().size());
    }

    private static void fill(int[] pixels, int px, int py, int size, int argb) {
        for (int y = py; y < py + size; y++) {
            int row = y * SlippyGrid.TILE_PX;
            for (int x = px; x < px + size; x++) {
                pixels[row + x] = argb;
            }
        }
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory: not expected
        }
        return out.toByteArray();
    }
}
