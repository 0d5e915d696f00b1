package dev.infinitemap.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

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

    private static final long serialVersionUID = 1L;

    private final transient BrickSource bricks;

    @Activate
    public BricksServlet(BundleContext context) {
        this.bricks = new BrickSource(context);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        String name = path == null || path.length() < 2 ? "" : path.substring(1);
        String type = BrickSource.type(name);
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
        Path file = bricks.file(name);
        if (file != null) {
            FolderFiles.send(file, response);
            return;
        }
        URL entry = bricks.entry(name);
        if (entry == null) {
            response.reset();
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such brick");
            return;
        }
        try (InputStream in = entry.openStream(); OutputStream out = response.getOutputStream()) {
            in.transferTo(out);
        }
    }
}
