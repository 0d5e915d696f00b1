package dev.infinitemap.web;

import java.io.IOException;
import java.util.Locale;
import java.util.StringJoiner;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.infinitemap.api.compositor.CompositorInfo;
import dev.infinitemap.api.compositor.CompositorRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/api/compositors}: every compositor with its kind, bundle or file,
 * layer, tile count, state, last update and last error.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/api/compositors")
public class CompositorsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient CompositorRegistry registry;

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
}
