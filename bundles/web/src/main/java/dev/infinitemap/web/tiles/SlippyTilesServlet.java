package dev.infinitemap.web.tiles;

import java.io.IOException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.infinitemap.web.HiddenCompositors;
import dev.infinitemap.web.ManifestServlet;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/tiles/{z}/{x}/{y}.png}: a slippy tile of the map (see {@link SlippyGrid}).
 * Browsers and map clients keep it and ask again with {@code If-None-Match}; while the tile shows
 * the same, the answer is a 304 without a body. {@code ?hide=name,...} draws the map without those
 * compositors' tiles, as a viewer that hides them shows it.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/tiles/*")
public class SlippyTilesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Pattern TILE = Pattern.compile("/(\\d{1,2})/(\\d{1,10})/(\\d{1,10})\\.png");

    private final transient SlippyTiles tiles;

    @Activate
    public SlippyTilesServlet(@Reference SlippyTiles tiles) {
        this.tiles = tiles;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        Matcher m = path == null ? null : TILE.matcher(path);
        if (m == null || !m.matches()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such tile: tiles are /infinitemap/tiles/{z}/{x}/{y}.png");
            return;
        }
        SlippyTiles.Served tile;
        Set<String> hidden;
        try {
            String hide = request.getParameter("hide");
            hidden = hide == null ? Set.of() : HiddenCompositors.parse(hide);
        } catch (IllegalArgumentException e) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        try {
            tile = tiles.tile(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), hidden);
        } catch (IllegalArgumentException e) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the runtime is stopping");
            return;
        }
        if (tile == null) {
            response.setHeader("Retry-After", "1");
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "too many tiles are being drawn: ask again shortly");
            return;
        }
        response.setHeader("ETag", tile.etag());
        response.setHeader("Cache-Control", "no-cache"); // kept, but checked again: the map is live
        response.setHeader(ManifestServlet.REVISION_HEADER, Long.toString(tile.revision()));
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (matches(request.getHeader("If-None-Match"), tile.etag())) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType("image/png");
        response.setContentLength(tile.png().length);
        response.getOutputStream().write(tile.png());
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
