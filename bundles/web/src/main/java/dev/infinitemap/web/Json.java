package dev.infinitemap.web;

import java.io.IOException;
import java.math.BigDecimal;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.map.PlacedTile;
import jakarta.servlet.http.HttpServletResponse;

/** Writes JSON: the API's few shapes need no library, but every string must be escaped. */
public final class Json {

    // Whole numbers up to 2^53 print without a fraction or exponent, as the manifest format has them.
    private static final double EXACT_LIMIT = 9_007_199_254_740_992d;

    private Json() {
    }

    /** Makes the response a JSON answer that is never cached: the map changes all the time. */
    public static void fresh(HttpServletResponse response) {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
    }

    /** Answers 400 with {@code {"error": message}}. */
    public static void badRequest(HttpServletResponse response, String message) throws IOException {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.getWriter().write("{\"error\":" + quote(message) + "}");
    }

    /** @return a finite number as a JSON number, without exponent for timestamps and coordinates */
    public static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < EXACT_LIMIT) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).toPlainString();
    }

    /**
     * Appends the fields of a placed tile in the manifest format, and with {@code placement}
     * its compositor and layer: {@code {"brick":..,"timestamp":..[,"compositor":..,"layer":..]}}.
     */
    public static StringBuilder tile(StringBuilder out, PlacedTile placed, boolean placement) {
        Tile tile = placed.tile();
        out.append("{\"brick\":").append(quote(tile.brick())).append(",\"timestamp\":").append(number(tile.timestamp()));
        if (placement) {
            out.append(",\"compositor\":").append(quote(placed.compositor())).append(",\"layer\":").append(placed.layer());
        }
        return out.append('}');
    }

    /** Appends {@code "x,y":{tile}, ...} for every tile, without the surrounding braces. */
    public static StringBuilder tiles(StringBuilder out, Iterable<PlacedTile> tiles, boolean placement) {
        boolean first = true;
        for (PlacedTile placed : tiles) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"').append(placed.tile().x()).append(',').append(placed.tile().y()).append("\":");
            tile(out, placed, placement);
        }
        return out;
    }

    /** @return the strings as a JSON array, in their order */
    public static String strings(Iterable<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (String value : values) {
            out.append(out.length() == 1 ? "" : ",").append(quote(value));
        }
        return out.append(']').toString();
    }

    /** @return the string as a JSON string literal, or {@code null} */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
