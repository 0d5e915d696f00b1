package dev.infinitemap.web;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import jakarta.servlet.Servlet;

/**
 * {@code GET /builder/queue/NAME} and {@code /builder/processed/NAME} on the legacy listener: the
 * bricks where Geometry OS clients look for them, the same as {@code /infinitemap/bricks/NAME}.
 */
@Component(service = Servlet.class, property = { "osgi.http.whiteboard.servlet.pattern=/builder/queue/*",
        "osgi.http.whiteboard.servlet.pattern=/builder/processed/*", LegacyListener.TARGET })
public class LegacyBricksServlet extends BricksServlet {

    private static final long serialVersionUID = 1L;

    @Activate
    public LegacyBricksServlet(BundleContext context) {
        super(context);
    }
}
