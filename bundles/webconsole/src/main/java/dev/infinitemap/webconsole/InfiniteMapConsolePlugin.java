package dev.infinitemap.webconsole;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.PlacedTile;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The "InfiniteMap" tab at {@code /system/console/infinitemap}, behind the console's login:
 * map status, the compositors with their state and last error, the latest deltas, and a live
 * minimap. The page's script reads the public API and the WebSocket feed for status,
 * compositors and the minimap; only the latest deltas come from this plugin
 * ({@code /system/console/infinitemap/deltas.json}).
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + InfiniteMapConsolePlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=InfiniteMap",
        ServletConstants.PLUGIN_CATEGORY + "=InfiniteMap",
        ServletConstants.PLUGIN_CSS_REFERENCES + "=" + InfiniteMapConsolePlugin.LABEL + "/res/console.css" })
public class InfiniteMapConsolePlugin extends AbstractServlet {

    static final String LABEL = "infinitemap";
    static final int LATEST_DELTAS = 15;

    private static final long serialVersionUID = 1L;

    private final transient InfiniteMap map;

    @Activate
    public InfiniteMapConsolePlugin(@Reference InfiniteMap map) {
        this.map = map;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (("/" + LABEL + "/deltas.json").equals(request.getPathInfo())) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            setNoCache(response);
            response.getWriter().write(latestDeltas());
            return;
        }
        spoolResource(request, response);
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String root = (String) request.getAttribute(ServletConstants.ATTR_PLUGIN_ROOT);
        PrintWriter out = response.getWriter();
        out.println(readTemplateFile("/res/console.html").replace("{{pluginRoot}}", root == null ? LABEL : root));
    }

    /**
     * The latest deltas, newest first: revision, the compositor whose delta it was, cells put
     * and removed, and every compositor whose tiles were put (a removal can uncover another's).
     */
    private String latestDeltas() {
        long revision = map.revision();
        List<MapChange> changes = map.changesSince(Math.max(0, revision - LATEST_DELTAS)).orElse(List.of());
        StringBuilder out = new StringBuilder("{\"revision\":").append(revision).append(",\"deltas\":[");
        for (int i = changes.size() - 1; i >= 0; i--) {
            MapChange change = changes.get(i);
            Set<String> shown = new TreeSet<>();
            for (PlacedTile tile : change.put()) {
                shown.add(tile.compositor());
            }
            out.append("{\"revision\":").append(change.revision()).append(",\"by\":").append(quote(change.compositor()))
                    .append(",\"put\":").append(change.put().size()).append(",\"removed\":").append(change.removedCellCount())
                    .append(",\"compositors\":[");
            out.append(String.join(",", shown.stream().map(InfiniteMapConsolePlugin::quote).toList()));
            out.append("]}").append(i > 0 ? "," : "");
        }
        return out.append("]}").toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
