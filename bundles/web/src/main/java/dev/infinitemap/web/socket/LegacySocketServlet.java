package dev.infinitemap.web.socket;

import java.io.IOException;

import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.infinitemap.web.LegacyListener;
import dev.infinitemap.web.Origins;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The Geometry OS socket, {@code ws://HOST:LEGACY_PORT/}: the feed in the old protocol's form
 * (see {@link Client.Form#LEGACY}), on the legacy listener only. A plain request there gets a
 * short page saying where things are.
 */
@Component(service = Servlet.class, property = { "osgi.http.whiteboard.servlet.pattern=/",
        LegacyListener.TARGET })
public class LegacySocketServlet extends MapSocketServlet {

    private static final long serialVersionUID = 1L;

    @Activate
    public LegacySocketServlet(@Reference MapFeed feed, @Reference Origins origins) {
        super(feed, origins);
    }

    @Override
    Object create(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) throws IOException {
        return feed.newClient(Client.Form.LEGACY, null);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("InfiniteMap Runtime, listener for Geometry OS clients: the socket is at / (ws://), the manifest at "
                + "/builder/map/manifest.json, bricks at /builder/queue/NAME and /builder/processed/NAME. "
                + "The viewer and the API are on the runtime's main port under /infinitemap/.\n");
    }
}
