package dev.infinitemap.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/}: the viewer page and its script and style, shipped in this bundle.
 * The more specific patterns of the API, the bricks and the WebSocket win over this one.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/*")
public class ViewerServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final Map<String, String> FILES = Map.of(
            "/", "text/html",
            "/viewer.js", "text/javascript",
            "/viewer.css", "text/css");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null) {
            response.sendRedirect(request.getContextPath() + request.getServletPath() + "/");
            return;
        }
        String type = FILES.get(path);
        if (type == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such page");
            return;
        }
        response.setContentType(type);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'");
        try (InputStream in = getClass().getResourceAsStream("/viewer" + (path.equals("/") ? "/index.html" : path));
                OutputStream out = response.getOutputStream()) {
            in.transferTo(out);
        }
    }
}
