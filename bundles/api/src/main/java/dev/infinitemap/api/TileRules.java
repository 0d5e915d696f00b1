package dev.infinitemap.api;

import java.util.Optional;

/**
 * The validation rules of the tile manifest format, shared by every reader of tiles so that a
 * brick name or a timestamp means the same everywhere.
 */
public final class TileRules {

    /** The longest brick name, in characters. */
    public static final int MAX_BRICK_LENGTH = 255;

    private TileRules() {
    }

    /**
     * Says what is wrong with a brick name, if anything. A brick is 1 to 255 characters with no
     * {@code /}, {@code \}, {@code ..} or control characters, so it can never name a file outside
     * the brick folders.
     *
     * @param brick the brick name
     * @return the reason it is invalid, or empty when it is valid
     */
    public static Optional<String> brickProblem(String brick) {
        if (brick == null) {
            return Optional.of("brick is missing");
        }
        if (brick.isEmpty()) {
            return Optional.of("brick is empty");
        }
        if (brick.length() > MAX_BRICK_LENGTH) {
            return Optional.of("brick is " + brick.length() + " characters long, the limit is " + MAX_BRICK_LENGTH);
        }
        if (brick.contains("..")) {
            return Optional.of("brick \"" + brick + "\" must not contain \"..\"");
        }
        for (int i = 0; i < brick.length(); i++) {
            char c = brick.charAt(i);
            if (c == '/' || c == '\\') {
                return Optional.of("brick \"" + brick + "\" must not contain '" + c + "'");
            }
            if (Character.isISOControl(c)) {
                return Optional.of("brick must not contain control characters (found U+" + String.format("%04X", (int) c) + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * Says what is wrong with a timestamp, if anything: it must be a finite number of seconds
     * since the epoch, zero or more.
     *
     * @param timestamp seconds since the epoch, fractions allowed
     * @return the reason it is invalid, or empty when it is valid
     */
    public static Optional<String> timestampProblem(double timestamp) {
        if (Double.isNaN(timestamp) || Double.isInfinite(timestamp)) {
            return Optional.of("timestamp must be a finite number");
        }
        if (timestamp < 0) {
            return Optional.of("timestamp " + timestamp + " is negative");
        }
        return Optional.empty();
    }
}
