package dev.infinitemap.daemon.registry;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.Bundle;

import dev.infinitemap.api.compositor.CompositorInfo;
import dev.infinitemap.daemon.delta.DeltaPublisher;
import dev.infinitemap.daemon.delta.TileSet;

/**
 * One compositor's layer of the map, for manifest files and compositor services alike: it
 * claims its name in the registry, draws (each change of its tiles or of its layer number is
 * one exact delta), keeps its registry entry, and leaves (its tiles leave the map and the name
 * goes to the next claimant). While another holds its name it draws nothing.
 */
public final class CompositorLayer {

    /** Who comes first for a name at start, and among waiting claimants: bundles by id, then manifests by file name. */
    static final Comparator<CompositorLayer> ORDER = Comparator.comparing(layer -> layer.precedence);

    private final CompositorStates registry;
    private final DeltaPublisher publisher;
    private final String key;
    private final String owner;
    private final String name;
    private final String precedence;
    private final boolean yieldsAtStart;
    private final Runnable whenGranted;
    // Guarded by this.
    private CompositorInfo info;
    private TileSet tiles = TileSet.EMPTY;
    private boolean holds;

    private CompositorLayer(CompositorStates registry, DeltaPublisher publisher, String key, String owner, String precedence,
            boolean yieldsAtStart, CompositorInfo info, Runnable whenGranted) {
        this.registry = registry;
        this.publisher = publisher;
        this.key = key;
        this.owner = owner;
        this.name = info.name();
        this.precedence = precedence;
        this.yieldsAtStart = yieldsAtStart;
        this.info = info;
        this.whenGranted = whenGranted;
    }

    /**
     * The layer of the manifest {@code deploy/<file>}.
     *
     * @param whenGranted run when the name comes to it after waiting: apply the file again
     */
    public static CompositorLayer ofManifest(CompositorStates registry, DeltaPublisher publisher, String file, String name, Runnable whenGranted) {
        return new CompositorLayer(registry, publisher, manifestKey(file), "deploy/" + file, "1:" + file, true,
                CompositorInfo.ofManifest(name, file), whenGranted);
    }

    /**
     * The layer of a bundle's compositor service.
     *
     * @param whenGranted run when the name comes to it after waiting: render the compositor
     */
    public static CompositorLayer ofService(CompositorStates registry, DeltaPublisher publisher, Bundle bundle, long serviceId, String name,
            int layer, Runnable whenGranted) {
        CompositorInfo.BundleRef ref = new CompositorInfo.BundleRef(bundle.getSymbolicName(), bundle.getVersion().toString(), bundle.getBundleId());
        // Bundles never yield: their render is called once per service.
        return new CompositorLayer(registry, publisher, CompositorStates.serviceKey(bundle.getBundleId(), serviceId),
                "bundle " + bundle.getSymbolicName() + " (service " + serviceId + ")", String.format("0:%019d:%019d", bundle.getBundleId(), serviceId),
                false, CompositorInfo.ofBundle(name, ref).onLayer(layer), whenGranted);
    }

    /** @return the registry key of a manifest file's entry */
    public static String manifestKey(String file) {
        return "deploy/" + file;
    }

    /** @return the compositor name */
    public String name() {
        return name;
    }

    /** @return the source as users name it: {@code deploy/<file>} or {@code bundle <name> (service <id>)} */
    public String owner() {
        return owner;
    }

    /** @return whether it holds its name now, else it waits for it */
    public boolean claim() {
        return registry.claim(this);
    }

    /**
     * Makes the layer hold exactly these tiles on this layer number, as one delta of the
     * difference.
     *
     * @return the difference, or null when the layer does not hold its name (nothing drawn)
     */
    public synchronized TileSet.Diff draw(int layer, TileSet next) {
        if (!holds) {
            return null;
        }
        TileSet.Diff diff = TileSet.diff(tiles, next);
        boolean moved = info.layer() != layer;
        if (!diff.isEmpty() || moved) {
            publisher.publish(name, layer, diff.put(), diff.removed());
        }
        boolean changed = !diff.isEmpty() || moved || info.lastUpdate().isEmpty();
        tiles = next;
        info = info.onLayer(layer).drawn(next.size(), changed ? Instant.now() : info.lastUpdate().get()).with(CompositorInfo.State.ACTIVE, Optional.empty());
        registry.put(key, info);
        return diff;
    }

    /** @return the tiles it has on the map */
    public synchronized TileSet tiles() {
        return tiles;
    }

    /** @return its layer number */
    public synchronized int layer() {
        return info.layer();
    }

    /** @return what the registry lists for it */
    public synchronized CompositorInfo info() {
        return info;
    }

    /** Records a failure; its tiles stay as they are. */
    public synchronized void failed(String reason) {
        info = info.with(CompositorInfo.State.FAILED, Optional.of(reason));
        registry.put(key, info);
    }

    /** Leaves the map: its tiles go, its entry goes, and its name passes to the next claimant. */
    public void leave() {
        registry.release(this);
        registry.remove(key);
    }

    // Called by the registry, holding its lock.

    boolean yieldsAtStart() {
        return yieldsAtStart;
    }

    synchronized void nameGiven() {
        holds = true;
    }

    synchronized void yieldName() {
        if (holds && tiles.size() > 0) {
            publisher.publish(name, info.layer(), List.of(), tiles.cells());
        }
        holds = false;
        tiles = TileSet.EMPTY;
        info = info.drawn(0, Instant.now());
    }

    synchronized void waitsFor(String holder) {
        info = info.with(CompositorInfo.State.FAILED, Optional.of("the compositor name \"" + name + "\" is used by " + holder
                + "; this one takes it when that leaves"));
        registry.put(key, info);
    }

    void granted() {
        whenGranted.run();
    }
}
