package dev.infinitemap.web;

import java.io.IOException;
import java.util.Locale;
import java.util.StringJoiner;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.infinitemap.api.cluster.Cluster;
import dev.infinitemap.api.compositor.CompositorInfo;
import dev.infinitemap.api.compositor.CompositorRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/api/compositors}: every compositor with its kind, bundle or file,
 * layer, tile count, state, last update and last error; in a cluster, then the other runtimes'
 * compositors, of kind {@code remote} with their runtime.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/api/compositors")
public class CompositorsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient CompositorRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Cluster cluster;

    @Activate
    public CompositorsServlet(@Reference CompositorRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StringJoiner array = new StringJoiner(",\n", "[", "]");
        for (CompositorInfo info : registry.compositors()) {
            array.add(json(info));
        }
        Cluster shared = cluster;
        if (shared != null) {
            for (Cluster.RemoteCompositor remote : shared.status().compositors()) {
                array.add(json(remote));
            }
        }
        Json.fresh(response);
        response.getWriter().write(array.toString());
    }

    static String json(CompositorInfo info) {
        StringBuilder out = new StringBuilder("{\"name\":").append(Json.quote(info.name()))
                .append(",\"kind\":").append(Json.quote(info.kind().name().toLowerCase(Locale.ROOT)));
        info.bundle().ifPresent(b -> out.append(",\"bundle\":{\"symbolicName\":").append(Json.quote(b.symbolicName()))
                .append(",\"version\":").append(Json.quote(b.version())).append(",\"id\":").append(b.id()).append('}'));
        info.file().ifPresent(f -> out.append(",\"file\":").append(Json.quote(f)));
        return out.append(",\"layer\":").append(info.layer())
                .append(",\"tiles\":").append(info.tiles())
                .append(",\"state\":").append(Json.quote(info.state().name().toLowerCase(Locale.ROOT)))
                .append(",\"lastUpdate\":").append(Json.quote(info.lastUpdate().map(Object::toString).orElse(null)))
                .append(",\"lastError\":").append(Json.quote(info.lastError().orElse(null)))
                .append('}').toString();
    }

    /** A remote compositor in the same shape; its state is {@code kept} once its runtime is gone and its tiles stay. */
    static String json(Cluster.RemoteCompositor remote) {
        return "{\"name\":" + Json.quote(remote.name()) + ",\"kind\":\"remote\",\"runtime\":" + Json.quote(remote.runtime())
                + ",\"compositor\":" + Json.quote(remote.compositor()) + ",\"layer\":" + remote.layer() + ",\"tiles\":" + remote.tiles()
                + ",\"state\":" + (remote.kept() ? "\"kept\"" : "\"active\"") + ",\"lastUpdate\":null,\"lastError\":null}";
    }
}
