package dev.infinitemap.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/}: the viewer page and its script and style, and the example page of
 * the map in Leaflet ({@code leaflet.html}, Leaflet vendored from its webjar at build time), all
 * shipped in this bundle. The more specific patterns of the API, the bricks, the tiles and the
 * WebSocket win over this one.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/*")
public class ViewerServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final Set<String> FILES = Set.of("/index.html", "/viewer.js", "/viewer.css",
            "/leaflet.html", "/leaflet-map.js", "/leaflet-map.css",
            "/leaflet/leaflet.js", "/leaflet/leaflet.css", "/leaflet/LICENSE",
            "/leaflet/images/layers.png", "/leaflet/images/layers-2x.png",
            "/leaflet/images/marker-icon.png", "/leaflet/images/marker-icon-2x.png", "/leaflet/images/marker-shadow.png");

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html",
            "js", "text/javascript",
            "css", "text/css",
            "png", "image/png");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null) {
            response.sendRedirect(request.getContextPath() + request.getServletPath() + "/");
            return;
        }
        String file = path.equals("/") ? "/index.html" : path;
        if (!FILES.contains(file)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such page");
            return;
        }
        String type = TYPES.getOrDefault(file.substring(file.lastIndexOf('.') + 1), "text/plain");
        response.setContentType(type);
        if (!type.startsWith("image/")) {
            response.setCharacterEncoding("UTF-8");
        }
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'");
        try (InputStream in = getClass().getResourceAsStream("/viewer" + file);
                OutputStream out = response.getOutputStream()) {
            in.transferTo(out);
        }
    }
}
