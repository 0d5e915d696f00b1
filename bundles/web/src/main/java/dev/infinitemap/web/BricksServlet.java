package dev.infinitemap.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.infinitemap.api.TileRules;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/bricks/NAME}: a brick image from the runtime's {@code bricks/} folder,
 * else from the {@code bricks/} folder inside a compositor bundle. A name is a brick name by
 * the tile rules (no {@code /}, {@code \}, {@code ..} or control characters, checked after the
 * container decoded the path) and an image type; anything else is a 404, so no request can
 * reach a file outside those folders. The transparent brick of removed cells, which Geometry OS
 * clients are sent, comes from this bundle.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/bricks/*")
public class BricksServlet extends HttpServlet {

    /** A transparent brick: what Geometry OS clients are told a removed cell shows. */
    public static final String REMOVED_BRICK = "infinitemap-removed.png";

    private static final long serialVersionUID = 1L;

    private static final Map<String, String> IMAGE_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg",
            "gif", "image/gif", "webp", "image/webp", "svg", "image/svg+xml");

    private final transient BundleContext context;
    private final transient Path folder;

    @Activate
    public BricksServlet(BundleContext context) {
        this.context = context;
        String home = context.getProperty("infinitemap.home");
        this.folder = home == null ? null : Path.of(home, "bricks").toAbsolutePath().normalize();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        String name = path == null || path.length() < 2 ? "" : path.substring(1);
        String type = TileRules.brickProblem(name).isPresent() ? null : IMAGE_TYPES.get(extension(name));
        if (type == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such brick");
            return;
        }
        response.setContentType(type);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "public, max-age=300");
        if (type.equals("image/svg+xml")) {
            response.setHeader("Content-Security-Policy", "sandbox"); // an SVG opened on its own runs no script
        }
        // The name rules already keep it in the folder itself; a symbolic link out of it is refused too.
        Path file = folder == null ? null : FolderFiles.inside(folder, name);
        if (file != null) {
            FolderFiles.send(file, response);
            return;
        }
        URL entry = fromCompositorBundle(name);
        if (entry == null) {
            response.reset();
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such brick");
            return;
        }
        try (InputStream in = entry.openStream(); OutputStream out = response.getOutputStream()) {
            in.transferTo(out);
        }
    }

    private URL fromCompositorBundle(String name) {
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

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
