package dev.infinitemap.daemon.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import org.osgi.framework.Bundle;

/**
 * A copy of each bundle jar installed from {@code deploy/}, as it was when installed, so that a
 * bundle whose jar is overwritten with a file that cannot be installed can be put back.
 * <p>
 * FileInstall uninstalls a bundle once its jar no longer reads as one, and the framework keeps
 * no copy an outsider may use. The copies live in the daemon's data area, one per file name.
 */
final class LastGoodJars {

    /** Marks the location of a bundle put back from its copy; FileInstall ignores the fragment and still maps it to its file. */
    static final String RESTORED = "#last-good";

    private final Path folder;

    LastGoodJars(Path folder) {
        this.folder = folder;
    }

    /**
     * Copies the jar the bundle was just installed or updated from, if it still holds that bundle;
     * else no copy is kept (an older one would put back an older version).
     *
     * @return whether a copy is kept
     */
    boolean keep(Bundle bundle) {
        Optional<Path> jar = file(bundle.getLocation());
        if (jar.isEmpty()) {
            return false;
        }
        try {
            Files.createDirectories(folder);
            Path copy = Files.createTempFile(folder, "copy", ".tmp");
            Files.copy(jar.get(), copy, StandardCopyOption.REPLACE_EXISTING);
            // The file may have changed since the framework read it: keep only a copy of this bundle.
            boolean same = DuplicateJarGuard.Identity.of(copy.toFile())
                    .filter(identity -> identity.is(bundle)).isPresent();
            if (same) {
                Files.move(copy, of(jar.get()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.delete(copy);
                forget(jar.get());
            }
            return same;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** @return whether a copy of this file was taken after its last change (at a warm start: no need to copy it again) */
    boolean upToDate(Path jar) {
        try {
            Path copy = of(jar);
            return Files.size(copy) == Files.size(jar) && Files.getLastModifiedTime(copy).compareTo(Files.getLastModifiedTime(jar)) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the kept copy of the bundle that this file held, if any */
    Optional<InputStream> open(Path jar) {
        try {
            return Optional.of(Files.newInputStream(of(jar)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void forget(Path jar) {
        try {
            Files.deleteIfExists(of(jar));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path of(Path jar) {
        return folder.resolve(jar.getFileName().toString());
    }

    /** @return the jar a bundle location names, for a jar file (restored or not); empty for any other location */
    static Optional<Path> file(String location) {
        if (!location.startsWith("file:")) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(location);
            Path path = Path.of(new URI(uri.getScheme(), uri.getSchemeSpecificPart(), null));
            return path.getFileName() != null && path.getFileName().toString().endsWith(".jar") ? Optional.of(path) : Optional.empty();
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** @return whether the bundle was put back from its copy */
    static boolean restored(Bundle bundle) {
        return bundle.getLocation().endsWith(RESTORED);
    }

    /** @return the location a bundle has when installed by FileInstall from this file */
    static String location(Path jar) {
        return jar.toFile().toURI().normalize().toString();
    }
}
