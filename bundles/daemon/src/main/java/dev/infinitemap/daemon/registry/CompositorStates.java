package dev.infinitemap.daemon.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.infinitemap.api.compositor.CompositorInfo;
import dev.infinitemap.api.compositor.CompositorRegistry;
import dev.infinitemap.api.compositor.UnusableFile;
import dev.infinitemap.daemon.delta.DaemonThreads;

/**
 * Every compositor the runtime knows, and which one holds each compositor name.
 * <p>
 * Entries are keyed by where a compositor comes from ({@code deploy/<file>},
 * {@code bundle:<id>:service:<id>}, {@code bundle:<id>} for a bundle that cannot resolve), so
 * two claimants of one name are both listed. The name rule: while running, the first claimant
 * holds a name; at start (until the framework has started), a compositor bundle takes a name
 * from a manifest, and a manifest from one later in file-name order, so the holder after a start
 * never depends on the order files were found in. A claimant whose name is taken waits, listed
 * as failed with the holder named; when the holder leaves, the first waiting claimant in that
 * same order takes the name at once.
 */
@Component(service = { CompositorRegistry.class, CompositorStates.class })
public class CompositorStates implements CompositorRegistry, FrameworkListener {

    private final Map<String, CompositorInfo> states = new ConcurrentHashMap<>();
    // What a running bundle's entries must say besides their own state: its jar was not installed, say.
    private final Map<Long, String> bundleNotes = new ConcurrentHashMap<>();
    private final Map<String, UnusableFile> unusable = new ConcurrentSkipListMap<>();
    private final Logger log;
    private final BundleContext context;
    // Guarded by itself; taken before any layer's own lock, never after.
    private final Map<String, CompositorLayer> holders = new HashMap<>();
    private final Map<String, List<CompositorLayer>> waiting = new HashMap<>();
    private final ExecutorService handOver = Executors.newSingleThreadExecutor(DaemonThreads.named("infinitemap-name-handover"));
    private volatile boolean starting = true;

    @Activate
    public CompositorStates(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.log = log;
        // Listen first, then look: the STARTED event cannot fall between the two.
        context.addFrameworkListener(this);
        if (context.getBundle(0).getState() == Bundle.ACTIVE) {
            starting = false;
        }
    }

    @Deactivate
    void deactivate() {
        context.removeFrameworkListener(this);
        handOver.shutdownNow();
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            starting = false;
        }
    }

    /** @return whether the framework is still starting (it has not reported STARTED yet) */
    public boolean starting() {
        return starting;
    }

    @Override
    public List<CompositorInfo> compositors() {
        return states.values().stream().map(this::noted).sorted(Comparator.comparing(CompositorInfo::name)).toList();
    }

    @Override
    public List<UnusableFile> unusableFiles() {
        return List.copyOf(unusable.values());
    }

    /** Lists a file of deploy/ that cannot be used; one listed already keeps when it was found. */
    public void putUnusable(UnusableFile file) {
        unusable.merge(file.file(), file, (listed, now) -> new UnusableFile(now.file(), now.reason(), listed.since()));
    }

    /** The file was fixed or deleted. */
    public void removeUnusable(String file) {
        unusable.remove(file);
    }

    private CompositorInfo noted(CompositorInfo info) {
        String note = info.lastError().isPresent() ? null : info.bundle().map(bundle -> bundleNotes.get(bundle.id())).orElse(null);
        return note == null ? info : info.with(info.state(), Optional.of(note));
    }

    /**
     * Sets or clears (with null) what every entry of a bundle says as its last error while it has
     * none of its own.
     */
    public void noteBundle(long bundleId, String note) {
        if (note == null) {
            bundleNotes.remove(bundleId);
        } else {
            bundleNotes.put(bundleId, note);
        }
    }

    /** Sets what is known of the compositor from this source. */
    public void put(String key, CompositorInfo info) {
        states.put(key, info);
    }

    /** Forgets an entry. */
    public void remove(String key) {
        states.remove(key);
    }

    /** Forgets every entry of a bundle, when it is uninstalled. */
    public void removeBundle(long bundleId) {
        bundleNotes.remove(bundleId);
        states.keySet().removeIf(key -> key.equals(unresolvedKey(bundleId)) || key.startsWith(unresolvedKey(bundleId) + ":"));
    }

    /** Forgets a bundle's stopped entries of this compositor: it is back, under a new service. */
    public void removeStopped(long bundleId, String name) {
        String prefix = unresolvedKey(bundleId) + ":";
        states.entrySet().removeIf(entry -> entry.getKey().startsWith(prefix) && entry.getValue().name().equals(name)
                && entry.getValue().state() == CompositorInfo.State.STOPPED);
    }

    /** @return the key of a bundle's compositor service */
    public static String serviceKey(long bundleId, long serviceId) {
        return unresolvedKey(bundleId) + ":service:" + serviceId;
    }

    /** @return the key of a bundle that cannot resolve */
    public static String unresolvedKey(long bundleId) {
        return "bundle:" + bundleId;
    }

    /**
     * Gives the layer its compositor name if it is free (or, at start, held by a claimant that
     * comes after it); otherwise the layer waits for it.
     *
     * @return whether the layer holds its name now
     */
    boolean claim(CompositorLayer layer) {
        synchronized (holders) {
            CompositorLayer holder = holders.get(layer.name());
            if (holder == layer) {
                return true;
            }
            if (holder == null) {
                give(layer);
                return true;
            }
            if (starting && holder.yieldsAtStart() && CompositorLayer.ORDER.compare(layer, holder) < 0) {
                holder.yieldName();
                give(layer);
                wait(holder, layer);
                log.info("At start, {} takes the compositor name \"{}\" from {}, which comes after it (bundles first, then manifests by file name).",
                        layer.owner(), layer.name(), holder.owner());
                return true;
            }
            if (!waiting.getOrDefault(layer.name(), List.of()).contains(layer)) {
                log.error("{} cannot use the compositor name \"{}\": {} has it. It takes the name, with its tiles, when {} leaves.",
                        layer.owner(), layer.name(), holder.owner(), holder.owner());
            }
            wait(layer, holder);
            return false;
        }
    }

    /** The layer leaves: its tiles leave the map, and the first waiting claimant takes its name. */
    void release(CompositorLayer layer) {
        synchronized (holders) {
            List<CompositorLayer> queue = waiting.get(layer.name());
            if (queue != null) {
                queue.remove(layer);
            }
            if (holders.get(layer.name()) != layer) {
                return;
            }
            layer.yieldName();
            holders.remove(layer.name());
            if (queue == null || queue.isEmpty()) {
                waiting.remove(layer.name());
                return;
            }
            CompositorLayer next = queue.remove(0);
            give(next);
            log.info("{} takes the compositor name \"{}\", which {} left.", next.owner(), next.name(), layer.owner());
            try {
                handOver.execute(next::granted);
            } catch (RejectedExecutionException e) {
                // the daemon is stopping: nothing more to draw
            }
        }
    }

    private void give(CompositorLayer layer) {
        holders.put(layer.name(), layer);
        List<CompositorLayer> queue = waiting.get(layer.name());
        if (queue != null) {
            queue.remove(layer);
        }
        layer.nameGiven();
    }

    private void wait(CompositorLayer layer, CompositorLayer holder) {
        List<CompositorLayer> queue = waiting.computeIfAbsent(layer.name(), name -> new ArrayList<>());
        if (!queue.contains(layer)) {
            queue.add(layer);
            queue.sort(CompositorLayer.ORDER);
        }
        layer.waitsFor(holder.owner());
    }
}
