package dev.infinitemap.web.tiles;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.MapListener;
import dev.infinitemap.api.map.PlacedTile;
import dev.infinitemap.web.BrickSource;

/**
 * The map's slippy tiles: drawn on demand, at most a few at a time, and kept (up to a byte
 * budget, least recently used first out) until a map change touches them. A tile's ETag is a
 * digest of its image, so it changes exactly when what the tile shows changes. A tile of the map
 * without some compositors (a viewer that hides them) is kept apart, under those names.
 */
@Component(service = SlippyTiles.class, configurationPid = SlippyTiles.PID)
@Designate(ocd = SlippyTiles.Config.class)
public class SlippyTiles implements MapListener {

    static final String PID = "dev.infinitemap.web.tiles";

    @ObjectClassDefinition(name = "InfiniteMap slippy tiles", description = "The map as PNG tiles for web-map clients.")
    @interface Config {
        @AttributeDefinition(name = "Cache size (MiB)", description = "How many MiB of drawn tiles are kept for the next request.", min = "1")
        int cacheMiB() default 32;

        @AttributeDefinition(name = "Tiles drawn at once", description = "How many tiles are drawn at the same time; further requests wait.", min = "1")
        int drawing() default 2;
    }

    /** A drawn tile as served. */
    public record Served(byte[] png, String etag, long revision) {
    }

    /** Changes with more cells are matched to kept tiles by their bounding box instead of cell by cell. */
    private static final int EXACT_CELLS = 64;

    private final InfiniteMap map;
    private final TileRenderer renderer;
    private final long budget;
    private final Semaphore drawing;
    private final Map<Kept, Served> kept = new LinkedHashMap<>(256, 0.75f, true);
    private int keptWithHidden; // of the kept tiles, those drawn without some compositors
    private final AutoCloseable subscription;
    private long keptBytes;
    private long seenRevision;

    @Activate
    public SlippyTiles(@Reference InfiniteMap map, BundleContext context, Config config) {
        this.map = map;
        this.renderer = new TileRenderer(new BrickLooks(new BrickSource(context)));
        this.budget = Math.max(1, config.cacheMiB()) * 1024L * 1024L;
        this.drawing = new Semaphore(Math.max(1, config.drawing()), true);
        this.subscription = map.subscribe(this);
    }

    @Deactivate
    void deactivate() throws Exception {
        subscription.close();
    }

    /** A kept tile: its place in the grid and the compositors left out of it. */
    private record Kept(long tile, Set<String> hidden) {
    }

    /**
     * @return the tile z/x/y, or null when no drawing slot came free in time (the caller answers 503)
     * @throws IllegalArgumentException when z/x/y is not a tile of the grid
     */
    public Served tile(int z, long x, long y) throws InterruptedException {
        return tile(z, x, y, Set.of());
    }

    /**
     * @param hidden compositors left out, as {@link InfiniteMap#tiles(int, int, int, int, Set)} does
     * @return the tile z/x/y of the map without them, or null when no drawing slot came free in time
     * @throws IllegalArgumentException when z/x/y is not a tile of the grid
     */
    public Served tile(int z, long x, long y, Set<String> hidden) throws InterruptedException {
        if (!SlippyGrid.valid(z, x, y)) {
            throw new IllegalArgumentException("no tile " + z + "/" + x + "/" + y + ": zoom 0 to " + SlippyGrid.MAX_ZOOM
                    + ", x and y 0 to 2^zoom - 1");
        }
        Kept key = new Kept(key(z, x, y), Set.copyOf(hidden));
        Served served = cached(key);
        if (served != null) {
            return served;
        }
        if (!drawing.tryAcquire(10, TimeUnit.SECONDS)) {
            return null;
        }
        try {
            served = cached(key); // drawn by another request meanwhile
            if (served != null) {
                return served;
            }
            TileRenderer.Rendered rendered = renderer.render(map, z, x, y, key.hidden());
            served = new Served(rendered.png(), etag(rendered.png()), rendered.revision());
            keep(key, served);
            return served;
        } finally {
            drawing.release();
        }
    }

    private Served cached(Kept key) {
        synchronized (kept) {
            return kept.get(key);
        }
    }

    private void keep(Kept key, Served served) {
        synchronized (kept) {
            // A change after the drawn revision that was already handled cannot evict it any more: do not keep it.
            if (seenRevision > served.revision()) {
                return;
            }
            Served before = kept.put(key, served);
            keptBytes += served.png().length - (before == null ? 0 : before.png().length);
            if (before == null && !key.hidden().isEmpty()) {
                keptWithHidden++;
            }
            for (Iterator<Map.Entry<Kept, Served>> eldest = kept.entrySet().iterator(); keptBytes > budget && eldest.hasNext();) {
                dropped(eldest.next());
                eldest.remove();
            }
        }
    }

    @Override
    public void changed(MapChange change) {
        synchronized (kept) {
            seenRevision = change.revision();
            if (kept.isEmpty()) {
                return;
            }
            long[] removed = change.removedCells();
            int cells = change.put().size() + removed.length;
            if (cells > EXACT_CELLS) {
                forget(bounds(change, removed, false), false, null);
            } else if (cells > 0) {
                for (PlacedTile placed : change.put()) {
                    forget(placed.tile().x(), placed.tile().y());
                }
                for (long cell : removed) {
                    forget(CellKey.x(cell), CellKey.y(cell));
                }
            }
            // Few are kept, one set per viewer that hides: matched by the box of every cell the
            // change touched, below the top too, unless the change's compositor is left out of them.
            if (keptWithHidden > 0 && cells + change.changedBelowCount() > 0) {
                forget(bounds(change, removed, true), true, change.compositor());
            }
        }
    }

    /** Forgets every kept tile of the whole map that holds a cell. */
    private void forget(int x, int y) {
        for (int z = SlippyGrid.MIN_ZOOM; z <= SlippyGrid.MAX_ZOOM; z++) {
            Served gone = kept.remove(new Kept(key(z, SlippyGrid.tileOf(z, x), SlippyGrid.tileOf(z, y)), Set.of()));
            if (gone != null) {
                keptBytes -= gone.png().length;
            }
        }
    }

    /**
     * Forgets every kept tile that overlaps an inclusive rectangle {x0, y0, x1, y1}: those of the
     * whole map, or those without some compositors where {@code by} is not among them.
     */
    private void forget(int[] box, boolean withHidden, String by) {
        for (Iterator<Map.Entry<Kept, Served>> entries = kept.entrySet().iterator(); entries.hasNext();) {
            Map.Entry<Kept, Served> entry = entries.next();
            Set<String> hidden = entry.getKey().hidden();
            if (hidden.isEmpty() == withHidden || withHidden && hidden.contains(by)) {
                continue;
            }
            long key = entry.getKey().tile();
            int z = (int) (key >>> 58);
            long tx = (key >>> 29) & ((1L << 29) - 1);
            long ty = key & ((1L << 29) - 1);
            if (SlippyGrid.lastCell(z, tx) >= box[0] && SlippyGrid.firstCell(z, tx) <= box[2]
                    && SlippyGrid.lastCell(z, ty) >= box[1] && SlippyGrid.firstCell(z, ty) <= box[3]) {
                dropped(entry);
                entries.remove();
            }
        }
    }

    private void dropped(Map.Entry<Kept, Served> entry) {
        keptBytes -= entry.getValue().png().length;
        if (!entry.getKey().hidden().isEmpty()) {
            keptWithHidden--;
        }
    }

    private static int[] bounds(MapChange change, long[] removed, boolean below) {
        int[] box = { Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE };
        for (PlacedTile placed : change.put()) {
            grow(box, placed.tile().x(), placed.tile().y());
        }
        for (long cell : removed) {
            grow(box, CellKey.x(cell), CellKey.y(cell));
        }
        if (below) {
            for (long cell : change.changedBelowCells()) {
                grow(box, CellKey.x(cell), CellKey.y(cell));
            }
        }
        return box;
    }

    private static void grow(int[] box, int x, int y) {
        box[0] = Math.min(box[0], x);
        box[1] = Math.min(box[1], y);
        box[2] = Math.max(box[2], x);
        box[3] = Math.max(box[3], y);
    }

    /** z in 5 bits, x and y in 29 bits each: every tile of the grid has its own key. */
    private static long key(int z, long x, long y) {
        return (long) z << 58 | x << 29 | y;
    }

    private static String etag(byte[] png) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(png);
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
