package dev.infinitemap.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.TileDelta;
import dev.infinitemap.api.event.MapEvents;
import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.MapChange;
import dev.infinitemap.api.map.MapListener;
import dev.infinitemap.api.map.PlacedTile;

/**
 * The InfiniteMap: takes deltas from Event Admin and applies them, one at a time and in
 * arrival order, on a thread of its own.
 * <p>
 * The event handler only queues the delta. Felix Event Admin stops delivering to a handler
 * that once took longer than its timeout, so a handler that did the work itself could lose
 * every later delta after one slow apply; queueing takes microseconds whatever the delta.
 */
@Component(service = { InfiniteMap.class, EventHandler.class }, configurationPid = MapService.PID,
        property = EventConstants.EVENT_TOPIC + "=" + MapEvents.DELTA_TOPIC)
@Designate(ocd = MapService.Config.class)
public class MapService implements InfiniteMap, EventHandler {

    static final String PID = "dev.infinitemap.map";

    @ObjectClassDefinition(name = "InfiniteMap", description = "The composed map of all compositors.")
    @interface Config {
        @AttributeDefinition(name = "Change log size", description = "How many of the latest changes a reconnecting viewer can catch up on without a snapshot (at least 10,000).", min = "10000")
        int changeLogSize() default 10_000;

        @AttributeDefinition(name = "Change log cells", description = "How many changed cells the change log holds at most, whatever the number of changes (about 200 bytes of heap each, so 40 MB by default); older changes go first, and a viewer asking for them gets a snapshot.", min = "10000")
        long changeLogCells() default 200_000;
    }

    /** This runtime's id, a framework property the launcher sets when the map is shared with other runtimes. */
    static final String CLUSTER_RUNTIME_ID = "infinitemap.cluster.runtime.id";

    private final Logger log;
    // Revisions of a later run are greater than any of an earlier one (see InfiniteMap#revision).
    private final LayeredMap map;
    private final Set<String> remote = ConcurrentHashMap.newKeySet(); // compositors whose deltas came with an origin
    private final ChangeLog changeLog;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final BlockingQueue<TileDelta> queue = new LinkedBlockingQueue<>();
    private final List<MapListener> listeners = new CopyOnWriteArrayList<>();
    private final Thread applier;

    @Activate
    public MapService(@Reference(service = LoggerFactory.class) Logger log, Config config, BundleContext context) {
        this.log = log;
        // In a cluster a full tie goes by compositor@runtime, which every runtime computes alike:
        // its own compositors get its id, remote ones are named so already.
        String self = context.getProperty(CLUSTER_RUNTIME_ID);
        this.map = new LayeredMap(System.currentTimeMillis() * 1000,
                self == null ? UnaryOperator.identity() : name -> remote.contains(name) ? name : name + "@" + self);
        this.changeLog = new ChangeLog(logSize(config), logCells(config));
        this.applier = new Thread(this::applyLoop, "infinitemap-map-applier");
        applier.setDaemon(true);
        applier.start();
    }

    // The map is the state of the runtime: a new configuration must not replace it with an empty one.
    @Modified
    void modified(Config config) {
        lock.writeLock().lock();
        try {
            changeLog.resize(logSize(config), logCells(config));
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static int logSize(Config config) {
        return Math.max(10_000, config.changeLogSize());
    }

    private static long logCells(Config config) {
        return Math.max(10_000, config.changeLogCells());
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        applier.interrupt();
        applier.join(5000);
    }

    @Override
    public void handleEvent(Event event) {
        Object delta = event.getProperty(MapEvents.DELTA);
        if (delta instanceof TileDelta tileDelta) {
            if (event.getProperty(MapEvents.ORIGIN) != null) {
                remote.add(tileDelta.compositor()); // before it is queued, so the applier sees it
            }
            queue.add(tileDelta);
        } else {
            log.warn("Ignored an event on {} without a TileDelta in its \"{}\" property (found {}).", event.getTopic(),
                    MapEvents.DELTA, delta == null ? "nothing" : delta.getClass().getName());
        }
    }

    private void applyLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            TileDelta delta;
            try {
                delta = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            MapChange change;
            lock.writeLock().lock();
            try {
                change = map.apply(delta);
                if (change != null) {
                    changeLog.add(change);
                }
            } catch (RuntimeException e) {
                log.error("Could not apply {}: {}", delta, e.toString(), e);
                continue;
            } finally {
                lock.writeLock().unlock();
            }
            if (change != null) {
                notifyListeners(change);
            }
        }
    }

    private void notifyListeners(MapChange change) {
        for (MapListener listener : listeners) {
            try {
                listener.changed(change);
            } catch (RuntimeException e) {
                log.error("A map listener ({}) failed on {}: {}", listener.getClass().getName(), change, e.toString());
            }
        }
    }

    @Override
    public long revision() {
        return read(map::revision);
    }

    @Override
    public int tileCount() {
        return read(map::tileCount);
    }

    @Override
    public Optional<PlacedTile> tile(int x, int y) {
        return read(() -> Optional.ofNullable(map.tile(CellKey.pack(x, y))));
    }

    @Override
    public Snapshot tiles(int x0, int y0, int x1, int y1) {
        return tiles(x0, y0, x1, y1, Set.of());
    }

    @Override
    public Snapshot overview(int x0, int y0, int x1, int y1, int shift) {
        return overview(x0, y0, x1, y1, shift, Set.of());
    }

    @Override
    public Snapshot tiles(int x0, int y0, int x1, int y1, Set<String> hidden) {
        if (x1 < x0 || y1 < y0) {
            throw new IllegalArgumentException("empty rectangle: x0=" + x0 + ", y0=" + y0 + ", x1=" + x1 + ", y1=" + y1);
        }
        Set<String> without = Set.copyOf(hidden);
        return read(() -> new Snapshot(map.revision(), map.tiles(x0, y0, x1, y1, without)));
    }

    @Override
    public Snapshot overview(int x0, int y0, int x1, int y1, int shift, Set<String> hidden) {
        if (x1 < x0 || y1 < y0 || shift < 0 || shift > 31) {
            throw new IllegalArgumentException("empty rectangle or shift outside 0..31: x0=" + x0 + ", y0=" + y0 + ", x1=" + x1
                    + ", y1=" + y1 + ", shift=" + shift);
        }
        Set<String> without = Set.copyOf(hidden);
        return read(() -> new Snapshot(map.revision(), map.overview(x0, y0, x1, y1, shift, without)));
    }

    @Override
    public Optional<Bounds> bounds() {
        int[] box = read(map::bounds);
        return box == null ? Optional.empty() : Optional.of(new Bounds(box[0], box[1], box[2], box[3]));
    }

    @Override
    public List<PlacedTile> stack(int x, int y) {
        return read(() -> map.stack(CellKey.pack(x, y)));
    }

    @Override
    public List<LayerSummary> layers(int bricks) {
        if (bricks < 0) {
            throw new IllegalArgumentException("bricks must be at least 0, not " + bricks);
        }
        return read(() -> map.layers(bricks));
    }

    @Override
    public Snapshot snapshot() {
        return read(() -> {
            List<PlacedTile> all = new ArrayList<>(map.tileCount());
            map.composed().forEach(all::add);
            return new Snapshot(map.revision(), all);
        });
    }

    @Override
    public Optional<List<MapChange>> changesSince(long revision) {
        return read(() -> changeLog.since(revision, map.revision()));
    }

    @Override
    public List<MapChange> latestChanges(int max) {
        return read(() -> changeLog.latest(max));
    }

    @Override
    public AutoCloseable subscribe(MapListener listener) {
        // Listeners are told after the write lock is released, so a change the map already holds
        // may still be on its way to them: a new listener skips those, by revision. Taken under
        // the write lock, no change falls between the revision read and the listener added.
        MapListener after;
        lock.writeLock().lock();
        try {
            long since = map.revision();
            after = change -> {
                if (change.revision() > since) {
                    listener.changed(change);
                }
            };
            listeners.add(after);
        } finally {
            lock.writeLock().unlock();
        }
        return () -> listeners.remove(after);
    }

    private <T> T read(Supplier<T> query) {
        lock.readLock().lock();
        try {
            return query.get();
        } finally {
            lock.readLock().unlock();
        }
    }
}
