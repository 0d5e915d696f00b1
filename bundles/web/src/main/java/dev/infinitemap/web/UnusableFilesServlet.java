package dev.infinitemap.web;

import java.io.IOException;
import java.util.StringJoiner;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.infinitemap.api.compositor.CompositorRegistry;
import dev.infinitemap.api.compositor.UnusableFile;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/api/unusable}: {@code [{"file":"deploy/x.jar","reason","since"}]}, the
 * files in {@code deploy/} that cannot be used at all (not a jar, no OSGi manifest), so the
 * viewer can list a broken jar beside the compositors instead of leaving it to the log.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/api/unusable")
public class UnusableFilesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient CompositorRegistry registry;

    @Activate
    public UnusableFilesServlet(@Reference CompositorRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StringJoiner array = new StringJoiner(",\n", "[", "]");
        for (UnusableFile file : registry.unusableFiles()) {
            array.add("{\"file\":" + Json.quote(file.file()) + ",\"reason\":" + Json.quote(file.reason()) + ",\"since\":"
                    + Json.quote(file.since().toString()) + "}");
        }
        Json.fresh(response);
        response.getWriter().write(array.toString());
    }
}
