package dev.infinitemap.web.socket;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.infinitemap.web.Origins;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code ws://HOST:PORT/infinitemap/ws[?mode=batch][&since=N | &viewport=x0,y0,x1,y1[&hide=name,...]]}: upgrades to
 * a WebSocket fed by {@link MapFeed}. Messages over 64 KiB from a client close its connection with 1009 (Jetty's
 * limit); a connection beyond the feed's maximum is opened only to be closed with 1013 and the
 * reason, which a browser shows, where a refused handshake would only say it failed. Jetty's own idle timeout is only a backstop: the feed closes silent clients itself,
 * as the server's heartbeats would otherwise keep a connection busy.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/ws")
public class MapSocketServlet extends JettyWebSocketServlet {

    static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private static final long serialVersionUID = 1L;

    final transient MapFeed feed;
    private final transient Origins origins;
    private final AtomicBoolean initialised = new AtomicBoolean();

    @Activate
    public MapSocketServlet(@Reference MapFeed feed, @Reference Origins origins) {
        this.feed = feed;
        this.origins = origins;
    }

    // The whiteboard may initialise a servlet before Jetty's WebSocket container is attached to
    // its context, so the WebSocket set-up waits for the first request.
    @Override
    public void init() {
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        synchronized (initialised) {
            if (!initialised.get()) {
                Thread thread = Thread.currentThread();
                ClassLoader previous = thread.getContextClassLoader();
                // Jetty finds its WebSocket implementation with the context class loader.
                thread.setContextClassLoader(JettyWebSocketServlet.class.getClassLoader());
                try {
                    super.init();
                } finally {
                    thread.setContextClassLoader(previous);
                }
                initialised.set(true);
            }
        }
        super.service(request, response);
    }

    @Override
    public void destroy() {
        if (initialised.get()) {
            super.destroy();
        }
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        factory.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
        factory.setMaxBinaryMessageSize(MAX_MESSAGE_BYTES);
        factory.setIdleTimeout(Duration.ofMinutes(5));
        factory.setCreator((request, response) -> {
            if (!origins.allows(request.getOrigin(), request.getHeader("Host"))) {
                origins.refused(request.getOrigin(), "open the feed at " + request.getRequestURI());
                response.sendError(HttpServletResponse.SC_FORBIDDEN, "pages from this origin may not open the feed");
                return null;
            }
            Object client = create(request, response);
            return client instanceof String reason ? new Refusal(reason) : client;
        });
    }

    /** @return a new client, the reason to refuse it (the feed is full), or null when the answer was sent */
    Object create(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) throws IOException {
        Map<String, List<String>> parameters = request.getParameterMap();
        String mode = first(parameters, "mode");
        if (mode != null && !mode.equals("batch") && !mode.equals("cell")) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "mode must be batch or cell");
            return null;
        }
        String since = first(parameters, "since");
        Long revision = null;
        if (since != null) {
            try {
                revision = Long.parseLong(since);
            } catch (NumberFormatException e) {
                revision = -1L;
            }
            if (revision < 0) {
                response.sendError(HttpServletResponse.SC_BAD_REQUEST, "since must be a revision, 0 or more");
                return null;
            }
        }
        String area = first(parameters, "viewport");
        Viewport viewport = null;
        if (area != null) {
            if (revision != null) {
                response.sendError(HttpServletResponse.SC_BAD_REQUEST, "viewport and since do not go together: a viewport starts with its cells");
                return null;
            }
            try {
                viewport = Viewport.parse(area);
            } catch (IllegalArgumentException e) {
                response.sendError(HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
                return null;
            }
        }
        String hide = first(parameters, "hide");
        if (hide != null) {
            if (viewport == null) {
                response.sendError(HttpServletResponse.SC_BAD_REQUEST, "hide goes with a viewport: ?viewport=x0,y0,x1,y1&hide=name,...");
                return null;
            }
            try {
                viewport = viewport.hiding(hide);
            } catch (IllegalArgumentException e) {
                response.sendError(HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
                return null;
            }
        }
        return feed.newClient("batch".equals(mode) ? Client.Form.BATCH : Client.Form.CELLS, revision, viewport);
    }

    /** Closes the connection as soon as it is open: the feed is full. Public because Jetty calls it. */
    public record Refusal(String reason) implements Session.Listener.AutoDemanding {
        @Override
        public void onWebSocketOpen(Session session) {
            session.close(1013, reason, Callback.NOOP);
        }
    }

    private static String first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
