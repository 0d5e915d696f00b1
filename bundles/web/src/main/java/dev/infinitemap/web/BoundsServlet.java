package dev.infinitemap.web;

import java.io.IOException;

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
 * {@code GET /infinitemap/api/bounds}: {@code {"revision":N,"bounds":{"x0","y0","x1","y1"}}}, the
 * inclusive rectangle around every tile ({@code null} while the map is empty), for a page to fit
 * the whole map.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/api/bounds")
public class BoundsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient InfiniteMap map;

    @Activate
    public BoundsServlet(@Reference InfiniteMap map) {
        this.map = map;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Json.fresh(response);
        long revision = map.revision(); // read first: the bounds are at least as new
        String bounds = map.bounds().map(LayersServlet::bounds).orElse("null");
        response.getWriter().write("{\"revision\":" + revision + ",\"bounds\":" + bounds + "}");
    }
}
