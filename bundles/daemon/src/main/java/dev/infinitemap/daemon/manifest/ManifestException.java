package dev.infinitemap.daemon.manifest;

/** Why a manifest file was not applied, with where in the file, in words a user can act on. */
final class ManifestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean truncated;

    ManifestException(String message, boolean truncated) {
        super(message);
        this.truncated = truncated;
    }

    /** @return true when the file ends early, as a file still being written does */
    boolean truncated() {
        return truncated;
    }
}
