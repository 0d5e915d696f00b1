package dev.infinitemap.web.socket;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.web.Json;
import dev.infinitemap.web.LegacyListener;
import dev.infinitemap.web.ManifestServlet;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /builder/map/manifest.json} on the legacy listener: the map in the manifest format as
 * Geometry OS pollers need it ({@link LegacyMap}): timestamps that never go backwards, removed
 * cells as transparent tombstones for a while.
 */
@Component(service = Servlet.class, property = { "osgi.http.whiteboard.servlet.pattern=/builder/map/manifest.json",
        LegacyListener.TARGET })
public class LegacyManifestServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int CHUNK_CELLS = 512;

    private final transient MapFeed feed;

    @Activate
    public LegacyManifestServlet(@Reference MapFeed feed) {
        this.feed = feed;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        LegacyMap.View view = feed.legacyView().orElse(null);
        if (view == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "the legacy mode is off (INFINITEMAP_LEGACY_PORT)");
            return;
        }
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader(ManifestServlet.REVISION_HEADER, Long.toString(view.revision()));
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        List<LegacyMap.Cell> cells = view.cells();
        StringBuilder chunk = new StringBuilder(CHUNK_CELLS * 64);
        try (Writer out = response.getWriter()) {
            out.append('{');
            for (int i = 0; i < cells.size(); i++) {
                LegacyMap.Cell cell = cells.get(i);
                chunk.append(i > 0 ? ",\"" : "\"").append(CellKey.x(cell.key())).append(',').append(CellKey.y(cell.key()))
                        .append("\":{\"brick\":").append(Json.quote(cell.brick())).append(",\"timestamp\":").append(Json.number(cell.timestamp())).append('}');
                if (chunk.length() >= CHUNK_CELLS * 64) {
                    out.append(chunk);
                    chunk.setLength(0);
                }
            }
            out.append(chunk).append('}');
        }
    }
}
