package dev.infinitemap.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import dev.infinitemap.api.TileRules;

/**
 * Where a brick's image comes from: the runtime's {@code bricks/} folder, else the {@code bricks/}
 * folder inside a compositor bundle, else (for the transparent brick of removed cells) this
 * bundle. A name must be a brick name by the tile rules and an image type; nothing outside those
 * folders is ever opened.
 */
public final class BrickSource {

    /** A transparent brick: what Geometry OS clients are told a removed cell shows. */
    public static final String REMOVED_BRICK = "infinitemap-removed.png";

    private static final Map<String, String> IMAGE_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg",
            "gif", "image/gif", "webp", "image/webp", "svg", "image/svg+xml");

    private final BundleContext context;
    private final Path folder;

    public BrickSource(BundleContext context) {
        this.context = context;
        String home = context.getProperty("infinitemap.home");
        this.folder = home == null ? null : Path.of(home, "bricks").toAbsolutePath().normalize();
    }

    /** @return the image type of a valid brick name, or null when the name is no brick's */
    public static String type(String name) {
        if (TileRules.brickProblem(name).isPresent()) {
            return null;
        }
        int dot = name.lastIndexOf('.');
        return IMAGE_TYPES.get(dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** @return the brick's file in the runtime's folder, or null (links out of the folder are refused) */
    public Path file(String name) throws IOException {
        return folder == null || type(name) == null ? null : FolderFiles.inside(folder, name);
    }

    /** @return the brick's entry in a compositor bundle or in this one, or null */
    public URL entry(String name) {
        if (type(name) == null) {
            return null;
        }
        if (name.equals(REMOVED_BRICK)) {
            return context.getBundle().getEntry("bricks/" + name);
        }
        for (Bundle bundle : context.getBundles()) {
            String symbolicName = bundle.getSymbolicName();
            if (symbolicName != null && symbolicName.contains("compositor") && bundle.getState() != Bundle.UNINSTALLED) {
                URL entry = bundle.getEntry("bricks/" + name);
                if (entry != null) {
                    return entry;
                }
            }
        }
        return null;
    }

    /** @return the brick's image, from the folder first, or null when there is none */
    public InputStream open(String name) throws IOException {
        Path file = file(name);
        if (file != null) {
            return Files.newInputStream(file);
        }
        URL entry = entry(name);
        return entry == null ? null : entry.openStream();
    }
}
