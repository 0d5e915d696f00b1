package dev.infinitemap.web.tiles;

/**
 * The map in the XYZ tile scheme of web maps: tile (0/0/0) is the whole 32-bit plane, each zoom
 * halves a tile's side, and tiles are 256 pixels square. Cell (0,0) sits just below and right of
 * the plane's centre, so it is where a web map's (0°, 0°) is. At zoom 24 a cell is one pixel; at
 * the deepest zoom, {@value #MAX_ZOOM}, it is 32 pixels and shows its brick.
 */
public final class SlippyGrid {

    public static final int TILE_PX = 256;
    public static final int MIN_ZOOM = 0;
    public static final int MAX_ZOOM = 29;
    /** The zoom where one cell is one pixel. */
    public static final int ONE_PIXEL_ZOOM = 24;

    private SlippyGrid() {
    }

    /** @return whether z/x/y names a tile of the grid */
    public static boolean valid(int z, long x, long y) {
        return z >= MIN_ZOOM && z <= MAX_ZOOM && x >= 0 && y >= 0 && x < (1L << z) && y < (1L << z);
    }

    /** @return how many cells a side of a tile at zoom z spans (2^(32 - z)) */
    public static long cellsPerTile(int z) {
        return 1L << (32 - z);
    }

    /** @return the first column (or row) of tile index t at zoom z */
    public static int firstCell(int z, long t) {
        return (int) ((t << (32 - z)) - (1L << 31));
    }

    /** @return the last column (or row) of tile index t at zoom z */
    public static int lastCell(int z, long t) {
        return (int) (firstCell(z, t) + cellsPerTile(z) - 1);
    }

    /** @return the index of the tile at zoom z holding a column (or row) */
    public static long tileOf(int z, int cell) {
        return ((long) cell + (1L << 31)) >> (32 - z);
    }
}
