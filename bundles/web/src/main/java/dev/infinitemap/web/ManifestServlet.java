package dev.infinitemap.web;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

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

    public static final String REVISION_HEADER = "X-InfiniteMap-Revision";

    private static final long serialVersionUID = 1L;
    private static final int CHUNK_TILES = 512;

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
        List<PlacedTile> tiles = snapshot.tiles();
        StringBuilder chunk = new StringBuilder(CHUNK_TILES * 64);
        try (Writer out = response.getWriter()) {
            out.append('{');
            for (int from = 0; from < tiles.size(); from += CHUNK_TILES) {
                chunk.setLength(0);
                chunk.append(from > 0 ? "," : "");
                out.append(Json.tiles(chunk, tiles.subList(from, Math.min(tiles.size(), from + CHUNK_TILES)), false));
            }
            out.append('}');
        }
    }
}
