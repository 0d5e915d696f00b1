package dev.infinitemap.api;

/**
 * One tile: the brick drawn in cell {@code (x, y)} and when it was placed.
 *
 * @param x the column, any 32-bit integer
 * @param y the row, any 32-bit integer
 * @param brick the brick image name, valid by {@link TileRules#brickProblem(String)}
 * @param timestamp seconds since the epoch (fractions allowed), valid by
 *        {@link TileRules#timestampProblem(double)}
 */
public record Tile(int x, int y, String brick, double timestamp) {

    /**
     * Creates a tile.
     *
     * @throws IllegalArgumentException when the brick or the timestamp breaks the rules
     */
    public Tile {
        TileRules.brickProblem(brick).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        TileRules.timestampProblem(timestamp).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    /**
     * This tile's cell, packed as by {@link CellKey#pack(int, int)}.
     *
     * @return the packed cell
     */
    public long cell() {
        return CellKey.pack(x, y);
    }

    /**
     * This tile's cell as the manifest key {@code "x,y"}.
     *
     * @return the key
     */
    public String key() {
        return CellKey.format(x, y);
    }
}
