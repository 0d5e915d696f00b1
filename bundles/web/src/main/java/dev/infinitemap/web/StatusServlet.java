package dev.infinitemap.web;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.StringJoiner;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.infinitemap.api.cluster.Cluster;
import dev.infinitemap.api.compositor.CompositorRegistry;
import dev.infinitemap.api.map.InfiniteMap;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/api/status}: whether the runtime is ready, the map's revision and
 * tile count, and how many compositors there are (as {@code /infinitemap/api/compositors} lists them);
 * in a cluster, {@code cluster}: this runtime's id, the map, the bridge's state and problem, the
 * records not read yet and the other runtimes.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/api/status")
public class StatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient InfiniteMap map;
    private final transient CompositorRegistry registry;
    private final transient BundleContext context;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Cluster cluster;

    @Activate
    public StatusServlet(@Reference InfiniteMap map, @Reference CompositorRegistry registry, BundleContext context) {
        this.map = map;
        this.registry = registry;
        this.context = context;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Json.fresh(response);
        Cluster shared = cluster;
        Cluster.Status status = shared == null ? null : shared.status();
        int compositors = registry.compositors().size() + (status == null ? 0 : status.compositors().size());
        response.getWriter().write("{\"ready\":" + ready() + ",\"revision\":" + map.revision() + ",\"tiles\":" + map.tileCount()
                + ",\"compositors\":" + compositors + ",\"uptimeMs\":" + ManagementFactory.getRuntimeMXBean().getUptime()
                + (status == null ? "" : ",\"cluster\":" + json(status)) + "}");
    }

    static String json(Cluster.Status status) {
        StringJoiner runtimes = new StringJoiner(",", "[", "]");
        for (Cluster.Peer peer : status.runtimes()) {
            runtimes.add("{\"runtime\":" + Json.quote(peer.runtime()) + ",\"state\":" + (peer.online() ? "\"online\"" : "\"gone\"")
                    + ",\"lastHeard\":" + Json.quote(peer.lastHeard().toString()) + "}");
        }
        return "{\"runtime\":" + Json.quote(status.runtime()) + ",\"map\":" + Json.quote(status.map()) + ",\"bootstrap\":"
                + Json.quote(status.bootstrap()) + ",\"state\":" + Json.quote(status.state().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                + ",\"problem\":" + Json.quote(status.problem().orElse(null)) + ",\"lag\":" + status.lag() + ",\"runtimes\":" + runtimes + "}";
    }

    // Ready once the framework has reached its beginning start level: FileInstall, the last to
    // start, has then applied every file that was in deploy/ at start.
    private boolean ready() {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        String beginning = context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        int target = beginning == null ? 1 : Integer.parseInt(beginning.strip());
        return system.getState() == Bundle.ACTIVE && system.adapt(FrameworkStartLevel.class).getStartLevel() >= target;
    }
}
