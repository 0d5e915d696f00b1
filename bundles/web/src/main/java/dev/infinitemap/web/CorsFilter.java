package dev.infinitemap.web;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * CORS on the map's JSON and brick resources, for pages of the origins {@link Origins} allows:
 * a viewer served from another site (a Geometry OS page, a web-map client) can read the manifest,
 * the API and the bricks. Only reads are offered; a page from any other origin gets no CORS
 * headers, so its browser keeps the answer from it, and the refusal is logged once.
 */
@Component(service = Filter.class)
@HttpWhiteboardFilterPattern({ "/infinitemap/manifest.json", "/infinitemap/api/*", "/infinitemap/bricks/*", "/infinitemap/tiles/*",
        "/infinitemap/tiles.json", "/builder/*" })
public class CorsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    private final transient Origins origins;

    @Activate
    public CorsFilter(@Reference Origins origins) {
        this.origins = origins;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        if (origin == null || Origins.sameOrigin(origin, request.getHeader("Host"))) {
            chain.doFilter(request, response);
            return;
        }
        boolean allowed = origins.configured(origin);
        if (allowed) {
            // One origin per answer, so a cache keeps answers apart by Origin.
            response.setHeader("Access-Control-Allow-Origin", origins.any() ? "*" : origin);
            response.addHeader("Vary", "Origin");
            response.setHeader("Access-Control-Expose-Headers", ManifestServlet.REVISION_HEADER + ", ETag");
        } else {
            origins.refused(origin, "read " + request.getRequestURI());
        }
        if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
            if (allowed) {
                response.setHeader("Access-Control-Allow-Methods", "GET, HEAD");
                response.setHeader("Access-Control-Allow-Headers", "If-None-Match, Cache-Control");
                response.setHeader("Access-Control-Max-Age", "600");
            }
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        chain.doFilter(request, response);
    }
}
