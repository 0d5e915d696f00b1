package dev.infinitemap.web;

import java.io.IOException;
import java.lang.management.ManagementFactory;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.infinitemap.api.compositor.CompositorRegistry;
import dev.infinitemap.api.map.InfiniteMap;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/api/status}: whether the runtime is ready, the map's revision and
 * tile count, and how many compositors there are (as {@code /infinitemap/api/compositors} lists them).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/api/status")
public class StatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient InfiniteMap map;
    private final transient CompositorRegistry registry;
    private final transient BundleContext context;

    @Activate
    public StatusServlet(@Reference InfiniteMap map, @Reference CompositorRegistry registry, BundleContext context) {
        this.map = map;
        this.registry = registry;
        this.context = context;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Json.fresh(response);
        response.getWriter().write("{\"ready\":" + ready() + ",\"revision\":" + map.revision() + ",\"tiles\":" + map.tileCount()
                + ",\"compositors\":" + registry.compositors().size() + ",\"uptimeMs\":" + ManagementFactory.getRuntimeMXBean().getUptime() + "}");
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
