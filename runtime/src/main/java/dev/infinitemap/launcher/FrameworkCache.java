package dev.infinitemap.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The framework cache in {@code data/framework} holds the core bundles by reference to their
 * files in {@code bundle/} and the hot folder's bundles by their location in {@code deploy/},
 * so it belongs to the folder it was made in. A folder copied or moved elsewhere rebuilds it:
 * its bundles and configurations come back from {@code bundle/} and {@code deploy/}.
 */
final class FrameworkCache {

    static final String MARKER = "data/framework.home";

    private FrameworkCache() {
    }

    /** @return the folder the cache was made for, when that is not {@code home}; empty when it is or there is no cache */
    static Optional<String> madeElsewhere(Path home) throws IOException {
        Path marker = home.resolve(MARKER);
        if (!Files.isDirectory(home.resolve("data/framework"))) {
            return Optional.empty();
        }
        String madeFor = Files.isRegularFile(marker) ? Files.readString(marker, StandardCharsets.UTF_8).strip() : "an unknown folder";
        return madeFor.equals(id(home)) ? Optional.empty() : Optional.of(madeFor);
    }

    /** Records that the cache now belongs to {@code home}. */
    static void belongsTo(Path home) throws IOException {
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve(MARKER), id(home) + "\n", StandardCharsets.UTF_8);
    }

    private static String id(Path home) {
        return home.toAbsolutePath().normalize().toString();
    }
}
