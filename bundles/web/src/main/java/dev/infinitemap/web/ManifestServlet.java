package dev.infinitemap.web;

import java.io.IOException;
import java.io.Writer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.PlacedTile;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /infinitemap/manifest.json}: the composed map in the shared manifest format, for
 * clients of the old polling protocol. The revision is the ETag, so a poller that sends
 * {@code If-None-Match} gets a 304 without a body while nothing changed.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/infinitemap/manifest.json")
public class ManifestServlet extends HttpServlet {

    static final String REVISION_HEADER = "X-InfiniteMap-Revision";

    private static final long serialVersionUID = 1L;
    private static final int CHUNK = 32 * 1024;

    private final transient InfiniteMap map;

    @Activate
    public ManifestServlet(@Reference InfiniteMap map) {
        this.map = map;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long revision = map.revision();
        String etag = "\"r" + revision + "\"";
        response.setHeader("Cache-Control", "no-cache");
        if (etag.equals(request.getHeader("If-None-Match"))) {
            response.setHeader("ETag", etag);
            response.setHeader(REVISION_HEADER, Long.toString(revision));
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        InfiniteMap.Snapshot snapshot = map.snapshot();
        response.setHeader("ETag", "\"r" + snapshot.revision() + "\"");
        response.setHeader(REVISION_HEADER, Long.toString(snapshot.revision()));
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        // Written in chunks: a million tiles would otherwise be one string of about 60 MB.
        StringBuilder chunk = new StringBuilder(CHUNK + 256).append('{');
        boolean first = true;
        try (Writer out = response.getWriter()) {
            for (PlacedTile placed : snapshot.tiles()) {
                if (!first) {
                    chunk.append(',');
                }
                first = false;
                Json.entry(chunk, placed, false);
                if (chunk.length() >= CHUNK) {
                    out.append(chunk);
                    chunk.setLength(0);
                }
            }
            out.append(chunk.append('}'));
        }
    }
}
