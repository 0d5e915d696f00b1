package dev.infinitemap.api.compositor;

import java.time.Instant;
import java.util.Objects;

/**
 * A file in {@code deploy/} the runtime cannot use at all: a jar that is not a zip file, or whose
 * manifest has no OSGi bundle headers. It is listed until it is fixed or deleted.
 *
 * @param file the file's path from the runtime folder, {@code deploy/<name>}
 * @param reason why it cannot be used, a phrase such as "it is not a valid jar (zip) file"
 * @param since when it was found unusable
 * @since 1.2
 */
public record UnusableFile(String file, String reason, Instant since) {

    /** Creates an entry. */
    public UnusableFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
    }
}
