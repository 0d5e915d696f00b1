package dev.infinitemap.web;

import java.io.IOException;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.infinitemap.api.map.InfiniteMap;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/api/tiles?x0=&y0=&x1=&y1=[&hide=name,...]}: the composed tiles of an
 * inclusive rectangle of at most {@value #MAX_CELLS} cells, with compositor and layer; with
 * {@code hide}, as the map shows without those compositors.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/api/tiles")
public class TilesServlet extends HttpServlet {

    static final long MAX_CELLS = 1_000_000;

    private static final long serialVersionUID = 1L;

    private final transient InfiniteMap map;

    @Activate
    public TilesServlet(@Reference InfiniteMap map) {
        this.map = map;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Json.fresh(response);
        int x0;
        int y0;
        int x1;
        int y1;
        Set<String> hidden;
        try {
            x0 = integer(request, "x0");
            y0 = integer(request, "y0");
            x1 = integer(request, "x1");
            y1 = integer(request, "y1");
            if (x0 > x1 || y0 > y1) {
                throw new IllegalArgumentException("the rectangle is empty: x0 must be <= x1 and y0 <= y1");
            }
            long width = (long) x1 - x0 + 1;
            long height = (long) y1 - y0 + 1;
            // Each side first: their product could overflow a long before it is compared.
            if (width > MAX_CELLS || height > MAX_CELLS || width * height > MAX_CELLS) {
                throw new IllegalArgumentException("the rectangle has more than " + MAX_CELLS + " cells");
            }
            String hide = request.getParameter("hide");
            hidden = hide == null ? Set.of() : HiddenCompositors.parse(hide);
        } catch (IllegalArgumentException e) {
            Json.badRequest(response, e.getMessage());
            return;
        }
        InfiniteMap.Snapshot tiles = map.tiles(x0, y0, x1, y1, hidden);
        StringBuilder out = new StringBuilder("{\"revision\":").append(tiles.revision()).append(",\"tiles\":{");
        Json.tiles(out, tiles.tiles(), true).append("}}");
        response.getWriter().append(out);
    }

    /** A required 32-bit integer query parameter; the message of the exception says what is wrong with it. */
    static int integer(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing parameter " + name);
        }
        if (value.length() > 12) {
            throw new IllegalArgumentException(name + " is not a 32-bit integer");
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a 32-bit integer: " + value.replaceAll("[^-0-9A-Za-z.+]", "?"));
        }
    }
}
