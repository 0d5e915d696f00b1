package dev.infinitemap.web.tiles;

import java.io.IOException;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.infinitemap.web.Json;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/tiles.json}: the slippy tiles as a TileJSON 3.0 layer, so a web-map
 * client needs only this address. The tile address is absolute, built from the address the
 * client used (a Host header that is no host name is not echoed).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/tiles.json")
public class TileJsonServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]{1,253}(:\\d{1,5})?|\\[[0-9A-Fa-f:.]{2,45}\\](:\\d{1,5})?");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Json.fresh(response);
        String host = request.getHeader("Host");
        if (host == null || !HOST.matcher(host).matches()) {
            host = request.getLocalAddr().contains(":") ? "[" + request.getLocalAddr() + "]:" + request.getLocalPort()
                    : request.getLocalAddr() + ":" + request.getLocalPort();
        }
        String base = request.getScheme() + "://" + host + request.getContextPath() + "/infinitemap/tiles/";
        response.getWriter().append("{\"tilejson\":\"3.0.0\",\"name\":\"InfiniteMap\",")
                .append("\"description\":\"The composed infinite map: cell (0,0) at (0, 0), a cell is one pixel at zoom ")
                .append(Integer.toString(SlippyGrid.ONE_PIXEL_ZOOM)).append(" and shows its brick from zoom 27.\",")
                .append("\"version\":\"1.0.0\",\"scheme\":\"xyz\",\"tiles\":[").append(Json.quote(base + "{z}/{x}/{y}.png"))
                .append("],\"minzoom\":").append(Integer.toString(SlippyGrid.MIN_ZOOM))
                .append(",\"maxzoom\":").append(Integer.toString(SlippyGrid.MAX_ZOOM))
                .append(",\"bounds\":[-180,-85.0511287798066,180,85.0511287798066],\"center\":[0,0,26]}");
    }
}
