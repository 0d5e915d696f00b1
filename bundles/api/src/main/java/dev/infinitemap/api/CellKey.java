package dev.infinitemap.api;

/**
 * A cell of the map, addressed by two 32-bit signed integers and written {@code "x,y"}.
 * <p>
 * Hot structures store a cell as one {@code long} ({@link #pack(int, int)}) rather than
 * as a string or an object, so a million cells cost eight megabytes, not eighty.
 */
public final class CellKey {

    private CellKey() {
    }

    /**
     * Packs a cell into one long: x in the high 32 bits, y in the low 32 bits.
     *
     * @param x the column
     * @param y the row
     * @return the packed cell
     */
    public static long pack(int x, int y) {
        return ((long) x << 32) | (y & 0xFFFF_FFFFL);
    }

    /**
     * The column of a packed cell.
     *
     * @param cell a cell packed by {@link #pack(int, int)}
     * @return its x
     */
    public static int x(long cell) {
        return (int) (cell >> 32);
    }

    /**
     * The row of a packed cell.
     *
     * @param cell a cell packed by {@link #pack(int, int)}
     * @return its y
     */
    public static int y(long cell) {
        return (int) cell;
    }

    /**
     * Formats a cell as the manifest key {@code "x,y"}.
     *
     * @param x the column
     * @param y the row
     * @return the key, without spaces
     */
    public static String format(int x, int y) {
        return x + "," + y;
    }

    /**
     * Formats a packed cell as the manifest key {@code "x,y"}.
     *
     * @param cell a cell packed by {@link #pack(int, int)}
     * @return the key, without spaces
     */
    public static String format(long cell) {
        return format(x(cell), y(cell));
    }

    /**
     * Parses a manifest key {@code "x,y"}. Spaces around either number are allowed.
     *
     * @param key the key
     * @return the packed cell
     * @throws IllegalArgumentException with a reason a user can act on, when the key is not
     *         two comma-separated integers in the 32-bit signed range
     */
    public static long parse(String key) {
        if (key == null) {
            throw new IllegalArgumentException("cell key is missing");
        }
        int comma = key.indexOf(',');
        if (comma < 0 || key.indexOf(',', comma + 1) >= 0) {
            throw new IllegalArgumentException("cell key \"" + key + "\" must be two integers separated by one comma, like \"3,-7\"");
        }
        int x = parseCoordinate(key, key.substring(0, comma), "x");
        int y = parseCoordinate(key, key.substring(comma + 1), "y");
        return pack(x, y);
    }

    private static int parseCoordinate(String key, String text, String axis) {
        String digits = text.strip();
        int start = digits.startsWith("-") || digits.startsWith("+") ? 1 : 0;
        if (digits.length() == start) {
            throw new IllegalArgumentException("cell key \"" + key + "\" has no " + axis + " coordinate");
        }
        for (int i = start; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("cell key \"" + key + "\": " + axis + " coordinate \"" + digits + "\" is not an integer");
            }
        }
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cell key \"" + key + "\": " + axis + " coordinate " + digits
                    + " is outside the 32-bit range " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
    }
}
