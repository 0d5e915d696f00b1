package dev.infinitemap.web;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.PlacedTile;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/api/deltas?limit=N}: the latest changes of the map, newest first:
 * {@code {"revision":R,"deltas":[{"revision":R,"compositor":"clock","put":5,"removed":0,"uncovered":[]}]}}.
 * {@code compositor} is whose delta it was; {@code uncovered} names the other compositors whose
 * tiles it put, uncovered where the compositor's own tiles went away. What the Web Console tab
 * lists as the latest deltas.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/api/deltas")
public class DeltasServlet extends HttpServlet {

    static final int DEFAULT_LIMIT = 15;
    static final int MAX_LIMIT = 1000;

    private static final long serialVersionUID = 1L;

    private final transient InfiniteMap map;

    @Activate
    public DeltasServlet(@Reference InfiniteMap map) {
        this.map = map;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Json.fresh(response);
        int limit;
        try {
            limit = limit(request.getParameter("limit"));
        } catch (IllegalArgumentException e) {
            Json.badRequest(response, e.getMessage());
            return;
        }
        long revision = map.revision();
        List<MapChange> changes = map.latestChanges(limit);
        StringBuilder out = new StringBuilder("{\"revision\":").append(revision).append(",\"deltas\":[");
        for (int i = changes.size() - 1; i >= 0; i--) {
            MapChange change = changes.get(i);
            Set<String> uncovered = new TreeSet<>();
            for (PlacedTile tile : change.put()) {
                if (!tile.compositor().equals(change.compositor())) {
                    uncovered.add(tile.compositor());
                }
            }
            out.append("{\"revision\":").append(change.revision()).append(",\"compositor\":").append(Json.quote(change.compositor()))
                    .append(",\"put\":").append(change.put().size()).append(",\"removed\":").append(change.removedCellCount())
                    .append(",\"uncovered\":[").append(String.join(",", uncovered.stream().map(Json::quote).toList())).append("]}")
                    .append(i > 0 ? "," : "");
        }
        response.getWriter().append(out.append("]}"));
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = value.length() > 6 ? -1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        return limit;
    }
}
