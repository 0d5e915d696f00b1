package dev.infinitemap.web;

import java.io.IOException;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.PlacedTile;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/api/cell?x=&y=}: {@code {"revision","x","y","stack":[tile, ...]}}, every
 * compositor's tile in one cell with its compositor and layer, the shown one first and then those
 * it covers: what the viewer's inspector shows.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/api/cell")
public class CellServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient InfiniteMap map;

    @Activate
    public CellServlet(@Reference InfiniteMap map) {
        this.map = map;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Json.fresh(response);
        int x;
        int y;
        try {
            x = TilesServlet.integer(request, "x");
            y = TilesServlet.integer(request, "y");
        } catch (IllegalArgumentException e) {
            Json.badRequest(response, e.getMessage());
            return;
        }
        long revision = map.revision(); // read first: the stack is at least as new
        List<PlacedTile> stack = map.stack(x, y);
        StringBuilder out = new StringBuilder("{\"revision\":").append(revision).append(",\"x\":").append(x).append(",\"y\":").append(y)
                .append(",\"stack\":[");
        for (int i = 0; i < stack.size(); i++) {
            Json.tile(out.append(i == 0 ? "" : ","), stack.get(i), true);
        }
        response.getWriter().append(out.append("]}"));
    }
}
