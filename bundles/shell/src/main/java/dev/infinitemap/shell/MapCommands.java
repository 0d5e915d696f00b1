package dev.infinitemap.shell;

import java.io.File;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.cluster.Cluster;
import dev.infinitemap.api.compositor.CompositorInfo;
import dev.infinitemap.api.compositor.CompositorRegistry;
import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.PlacedTile;

/**
 * Gogo commands in scope {@code map}: {@code map:status}, {@code map:list},
 * {@code map:tiles x0 y0 x1 y1}, {@code map:deltas}, {@code map:reload name} and {@code map:cluster}.
 */
@Component(service = MapCommands.class, property = { "osgi.command.scope=map", "osgi.command.function=status",
        "osgi.command.function=list", "osgi.command.function=tiles", "osgi.command.function=reload", "osgi.command.function=deltas",
        "osgi.command.function=cluster" })
public class MapCommands {

    /** More cells than this are summarised rather than printed one per line. */
    static final int MAX_LINES = 1000;

    private final InfiniteMap map;
    private final CompositorRegistry registry;
    private final BundleContext context;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Cluster cluster;

    @Activate
    public MapCommands(@Reference InfiniteMap map, @Reference CompositorRegistry registry, BundleContext context) {
        this.map = map;
        this.registry = registry;
        this.context = context;
    }

    @Descriptor("shows the map's revision, tile count and compositor count")
    public String status() {
        Cluster shared = cluster;
        int remote = shared == null ? 0 : shared.status().compositors().size();
        return "revision " + map.revision() + ", " + map.tileCount() + " tiles, " + (registry.compositors().size() + remote) + " compositors"
                + (shared == null ? "" : " (" + remote + " remote)");
    }

    @Descriptor("lists the compositors: name, kind, source, layer, tiles, state and last error; then the files in deploy/ that cannot be used")
    public String list() {
        StringJoiner out = new StringJoiner("\n");
        out.add(row("NAME", "KIND", "SOURCE", "LAYER", "TILES", "STATE", "LAST ERROR"));
        for (CompositorInfo info : registry.compositors()) {
            String source = info.file().map(f -> "deploy/" + f)
                    .orElseGet(() -> info.bundle().map(b -> b.symbolicName() + " [" + b.id() + "]").orElse(""));
            out.add(row(info.name(), info.kind().name().toLowerCase(Locale.ROOT), source, info.layer(), info.tiles(),
                    info.state().name().toLowerCase(Locale.ROOT), info.lastError().orElse("")));
        }
        // Files that are no bundle at all have no compositor, but a user looking for a jar's tiles wants them here.
        registry.unusableFiles().forEach(u -> out.add(row("-", "file", u.file(), "-", "-", "unusable", u.reason())));
        Cluster shared = cluster;
        if (shared != null) {
            for (Cluster.RemoteCompositor remote : shared.status().compositors()) {
                out.add(row(remote.name(), "remote", "runtime " + remote.runtime(), remote.layer(), remote.tiles(), remote.kept() ? "kept" : "active", ""));
            }
        }
        return out.toString();
    }

    @Descriptor("shows the shared map: this runtime, its state and lag, the other runtimes and their compositors")
    public String cluster() {
        Cluster shared = cluster;
        if (shared == null) {
            return "This runtime keeps its map to itself: set INFINITEMAP_CLUSTER_BOOTSTRAP to share it through Kafka.";
        }
        Cluster.Status status = shared.status();
        StringJoiner out = new StringJoiner("\n");
        out.add("runtime " + status.runtime() + " on map \"" + status.map() + "\" at " + status.bootstrap() + ": "
                + status.state().name().toLowerCase(Locale.ROOT).replace('_', '-') + ", " + status.lag() + " records not read yet"
                + status.problem().map(p -> " (" + p + ")").orElse(""));
        out.add(String.format(Locale.ROOT, "%-24s %-8s %-25s %11s %8s", "RUNTIME", "STATE", "LAST HEARD", "COMPOSITORS", "TILES"));
        for (Cluster.Peer peer : status.runtimes()) {
            List<Cluster.RemoteCompositor> its = status.compositors().stream().filter(c -> c.runtime().equals(peer.runtime())).toList();
            out.add(String.format(Locale.ROOT, "%-24s %-8s %-25s %11d %8d", peer.runtime(), peer.online() ? "online" : "gone", peer.lastHeard(),
                    its.size(), its.stream().mapToInt(Cluster.RemoteCompositor::tiles).sum()));
        }
        return out.toString();
    }

    /** One line of {@link #list()}: name, kind, source, layer, tiles, state, last error. */
    private static String row(Object... columns) {
        return String.format(Locale.ROOT, "%-20s %-8s %-45s %6s %8s  %-10s %s", columns);
    }

    @Descriptor("shows the top tile of each cell in an inclusive rectangle")
    public String tiles(@Descriptor("left column") int x0, @Descriptor("top row") int y0, @Descriptor("right column") int x1,
            @Descriptor("bottom row") int y1) {
        if (x1 < x0 || y1 < y0) {
            return "The rectangle is empty: x0 must be at most x1 and y0 at most y1.";
        }
        InfiniteMap.Snapshot snapshot = map.tiles(x0, y0, x1, y1);
        StringJoiner out = new StringJoiner("\n");
        out.add(snapshot.tiles().size() + " tiles at revision " + snapshot.revision());
        snapshot.tiles().stream().limit(MAX_LINES).forEach(t -> out.add(line(t)));
        if (snapshot.tiles().size() > MAX_LINES) {
            out.add("... and " + (snapshot.tiles().size() - MAX_LINES) + " more; ask for a smaller rectangle");
        }
        return out.toString();
    }

    @Descriptor("shows the latest changes of the map, newest first: revision, compositor, cells put and removed")
    public String deltas(@Descriptor("how many, at most 1000") int count) {
        if (count < 1 || count > 1000) {
            return "Ask for 1 to 1000 deltas.";
        }
        List<MapChange> changes = map.latestChanges(count);
        StringJoiner out = new StringJoiner("\n");
        out.add(String.format(Locale.ROOT, "%-18s %-20s %8s %8s", "REVISION", "COMPOSITOR", "PUT", "REMOVED"));
        for (int i = changes.size() - 1; i >= 0; i--) {
            MapChange change = changes.get(i);
            out.add(String.format(Locale.ROOT, "%-18d %-20s %8d %8d", change.revision(), change.compositor(), change.put().size(),
                    change.removedCellCount()));
        }
        return out.toString();
    }

    @Descriptor("shows the latest 15 changes of the map, newest first")
    public String deltas() {
        return deltas(15);
    }

    @Descriptor("reloads a compositor: re-reads its manifest file, or restarts its bundle")
    public String reload(@Descriptor("compositor name, as map:list shows it") String name) throws BundleException {
        CompositorInfo info = registry.compositors().stream().filter(i -> i.name().equals(name)).findFirst().orElse(null);
        if (info == null) {
            return "No compositor is named " + name + "; map:list shows them all.";
        }
        if (info.file().isPresent()) {
            File file = new File(context.getProperty("felix.fileinstall.dir"), info.file().get());
            // FileInstall applies a changed file; a new modification time is such a change.
            if (!file.setLastModified(System.currentTimeMillis())) {
                return "Could not touch " + file + " to reload it.";
            }
            return "Reloading deploy/" + info.file().get() + ".";
        }
        Bundle bundle = info.bundle().map(b -> context.getBundle(b.id())).orElse(null);
        if (bundle == null) {
            return "The bundle of " + name + " is gone.";
        }
        bundle.stop(Bundle.STOP_TRANSIENT);
        bundle.start(Bundle.START_TRANSIENT);
        return "Restarted bundle " + bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]: " + name + " draws again.";
    }

    private static String line(PlacedTile t) {
        return String.format(Locale.ROOT, "%-24s %-24s %.3f  %s (layer %d)", CellKey.format(t.tile().x(), t.tile().y()), t.tile().brick(),
                t.tile().timestamp(), t.compositor(), t.layer());
    }
}
