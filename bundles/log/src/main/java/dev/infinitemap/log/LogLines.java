package dev.infinitemap.log;

/**
 * Builds the text of one log line from a message and its exception chain.
 */
final class LogLines {

    private LogLines() {
    }

    /**
     * The message, followed by the message of the exception and of each of its causes, so that
     * the reason for a failure ("missing requirement ...", "Activator start error: ...") is on
     * the same line as what failed.
     */
    static String describe(String message, Throwable exception) {
        StringBuilder line = new StringBuilder(message == null ? "" : message.strip());
        String previous = null;
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String reason = t.getMessage() != null ? t.getMessage().strip() : t.getClass().getName();
            if (reason.equals(previous) || line.indexOf(reason) >= 0) {
                continue;
            }
            line.append(line.length() == 0 ? "" : ": ").append(reason);
            previous = reason;
        }
        return printable(line.toString());
    }

    /**
     * The text with every character that could forge or hide part of a log line escaped as
     * {@code \\uXXXX}: control characters (a newline would start a fake entry, an escape code
     * would recolour the terminal), line separators, invisible formatting characters (bidi
     * overrides reorder what a terminal shows) and unpaired surrogates (not text at all).
     * Messages carry file, bundle and compositor names, which come from outside.
     */
    static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int width = Character.charCount(c);
            int type = Character.getType(c);
            boolean hidden = type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
            if (hidden) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(String.format("\\u%04X", c));
            } else if (out != null) {
                out.appendCodePoint(c);
            }
            i += width;
        }
        return out == null ? text : out.toString();
    }
}
