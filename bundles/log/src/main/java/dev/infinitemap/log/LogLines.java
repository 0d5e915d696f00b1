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
        return line.toString();
    }
}
