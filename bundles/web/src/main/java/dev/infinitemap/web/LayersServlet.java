package dev.infinitemap.web;

import java.io.IOException;
import java.util.StringJoiner;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.InfiniteMap.LayerSummary;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/api/layers}: the viewer's legend. Per compositor on the map, sorted by
 * name: {@code {"compositor","layer","tiles","bounds":{"x0","y0","x1","y1"} or null,
 * "bricks":[{"brick","tiles"}, ...]}}, its {@value #BRICKS} most used bricks first. Each
 * compositor's summary is kept by the map until its next delta, so a call costs the tiles of the
 * compositors that changed since the last one.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/api/layers")
public class LayersServlet extends HttpServlet {

    static final int BRICKS = 3;

    private static final long serialVersionUID = 1L;

    private final transient InfiniteMap map;

    @Activate
    public LayersServlet(@Reference InfiniteMap map) {
        this.map = map;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Json.fresh(response);
        StringJoiner array = new StringJoiner(",\n", "[", "]");
        for (LayerSummary layer : map.layers(BRICKS)) {
            StringJoiner bricks = new StringJoiner(",", "[", "]");
            layer.bricks().forEach(b -> bricks.add("{\"brick\":" + Json.quote(b.brick()) + ",\"tiles\":" + b.tiles() + "}"));
            array.add("{\"compositor\":" + Json.quote(layer.compositor()) + ",\"layer\":" + layer.layer() + ",\"tiles\":" + layer.tiles()
                    + ",\"bounds\":" + layer.bounds().map(LayersServlet::bounds).orElse("null") + ",\"bricks\":" + bricks + "}");
        }
        response.getWriter().write(array.toString());
    }

    static String bounds(InfiniteMap.Bounds b) {
        return "{\"x0\":" + b.x0() + ",\"y0\":" + b.y0() + ",\"x1\":" + b.x1() + ",\"y1\":" + b.y1() + "}";
    }
}
