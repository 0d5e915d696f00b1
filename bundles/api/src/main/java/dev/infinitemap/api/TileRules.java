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
     * {@code /}, {@code \}, {@code ..}, and nothing {@link #characterProblem} refuses, so it can
     * never name a file outside the brick folders nor forge what it is shown in.
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
        Optional<String> characters = characterProblem("brick", brick);
        if (characters.isPresent()) {
            return characters;
        }
        if (brick.contains("..")) {
            return Optional.of("brick \"" + brick + "\" must not contain \"..\"");
        }
        for (int i = 0; i < brick.length(); i++) {
            char c = brick.charAt(i);
            if (c == '/' || c == '\\') {
                return Optional.of("brick \"" + brick + "\" must not contain '" + c + "'");
            }
        }
        return Optional.empty();
    }

    /**
     * Says what is wrong with the characters of a name that people read (a brick, a compositor
     * name), if anything: no control characters, line or paragraph separators, formatting
     * characters (bidi overrides and isolates, zero-width characters) or unpaired surrogates.
     * Such characters forge log lines, reorder what a terminal or page shows, make two names
     * look alike, or are not text at all. The reason names the character by its code and
     * position, never by showing it.
     *
     * @param what what the text is, for the reason ("brick", "compositor name")
     * @param text the text
     * @return the reason it is invalid, or empty when it is valid
     * @since 1.1
     */
    public static Optional<String> characterProblem(String what, String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            String kind = null;
            if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                kind = "an unpaired surrogate";
            } else {
                switch (Character.getType(c)) {
                    case Character.CONTROL -> kind = "a control character";
                    case Character.FORMAT -> kind = "an invisible formatting character (bidi or zero-width)";
                    case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> kind = "a line separator";
                    default -> {
                        // a character people can read
                    }
                }
            }
            if (kind != null) {
                return Optional.of(what + " must not contain " + kind + " (found U+" + String.format("%04X", c) + " at character " + (i + 1) + ")");
            }
            i += Character.charCount(c);
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
