package dev.infinitemap.web.socket;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.infinitemap.web.FolderFiles;
import dev.infinitemap.web.LegacyListener;
import dev.infinitemap.web.Origins;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The Geometry OS socket, {@code ws://HOST:LEGACY_PORT/}: the feed in the old protocol's form
 * (see {@link Client.Form#LEGACY}), on the legacy listener only. A plain request there gets a
 * file of the old web client's folder when {@code INFINITEMAP_LEGACY_WEB} names one (so its pages
 * come from the same origin as the socket and the manifest, as they did), else a short page
 * saying where things are.
 */
@Component(service = Servlet.class, property = { "osgi.http.whiteboard.servlet.pattern=/",
        LegacyListener.TARGET })
public class LegacySocketServlet extends MapSocketServlet {

    /** Set by the launcher from {@code INFINITEMAP_LEGACY_WEB}: the folder of the old web client. */
    public static final String WEB_PROPERTY = "infinitemap.legacy.web";

    private static final long serialVersionUID = 1L;

    private final transient Path web; // null: no pages

    @Activate
    public LegacySocketServlet(@Reference MapFeed feed, @Reference Origins origins, BundleContext context) {
        super(feed, origins);
        String folder = context.getProperty(WEB_PROPERTY);
        this.web = folder == null ? null : Path.of(folder).toAbsolutePath().normalize();
    }

    @Override
    Object create(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) throws IOException {
        return feed.newClient(Client.Form.LEGACY, null, null);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Path file = page(request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo()));
        if (file != null) {
            response.setContentType(type(file.getFileName().toString()));
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Cache-Control", "no-cache");
            FolderFiles.send(file, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("InfiniteMap Runtime, listener for Geometry OS clients: the socket is at / (ws://), the manifest at "
                + "/builder/map/manifest.json, bricks at /builder/queue/NAME and /builder/processed/NAME. "
                + "The viewer and the API are on the runtime's main port under /infinitemap/."
                + (web == null ? " Set INFINITEMAP_LEGACY_WEB to the old web client's folder to serve its pages here too.\n"
                        : " No such file in the web client's folder.\n"));
    }

    // Browsers run a script or a style sheet only with its type, and nosniff keeps them from guessing.
    private static final Map<String, String> TYPES = Map.ofEntries(Map.entry("html", "text/html;charset=utf-8"),
            Map.entry("htm", "text/html;charset=utf-8"), Map.entry("js", "text/javascript;charset=utf-8"),
            Map.entry("mjs", "text/javascript;charset=utf-8"), Map.entry("css", "text/css;charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("map", "application/json"), Map.entry("txt", "text/plain;charset=utf-8"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("svg", "image/svg+xml"), Map.entry("webp", "image/webp"), Map.entry("ico", "image/x-icon"),
            Map.entry("wasm", "application/wasm"), Map.entry("woff2", "font/woff2"));

    private static String type(String name) {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? "application/octet-stream" : type;
    }

    // A regular file inside the folder (index.html for a folder), never one outside it, links included.
    private Path page(String path) throws IOException {
        if (web == null) {
            return null;
        }
        Path file = FolderFiles.inside(web, path);
        return file != null ? file : FolderFiles.inside(web, path + "/index.html");
    }
}
