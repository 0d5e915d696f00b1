package dev.infinitemap.api.compositor;

import java.time.Instant;
import java.util.Optional;

/**
 * What the runtime knows of one compositor: where it comes from, its layer and tile count,
 * its state and its last error. This is the shape of {@code GET /infinitemap/api/compositors}.
 *
 * @param name the compositor name (for an unresolved bundle, its symbolic name)
 * @param kind a bundle's component or a manifest file
 * @param bundle the bundle, for {@link Kind#BUNDLE}
 * @param file the file name in {@code deploy/}, for {@link Kind#MANIFEST}
 * @param layer its layer
 * @param tiles how many tiles it has on the map, shown or covered
 * @param state its state
 * @param lastUpdate when it last changed the map, if ever
 * @param lastError why it last failed, until it works again
 */
public record CompositorInfo(String name, Kind kind, Optional<BundleRef> bundle, Optional<String> file, int layer, int tiles,
        State state, Optional<Instant> lastUpdate, Optional<String> lastError) {

    /** Where a compositor comes from. */
    public enum Kind {
        /** A DS component of a compositor bundle. */
        BUNDLE,
        /** A tile manifest file in {@code deploy/}. */
        MANIFEST
    }

    /** A compositor's state. */
    public enum State {
        /** Drawing: its tiles are on the map. */
        ACTIVE,
        /** Its last render, file or configuration failed; {@code lastError} says why. */
        FAILED,
        /** Its bundle cannot resolve; {@code lastError} names what is missing. */
        UNRESOLVED,
        /** Its bundle is installed but stopped: no tiles. */
        STOPPED
    }

    /**
     * A compositor's bundle.
     *
     * @param symbolicName the bundle symbolic name
     * @param version the bundle version
     * @param id the bundle id
     */
    public record BundleRef(String symbolicName, String version, long id) {
    }

    /** @return a manifest file's compositor, active with no tiles yet */
    public static CompositorInfo ofManifest(String name, String file) {
        return new CompositorInfo(name, Kind.MANIFEST, Optional.empty(), Optional.of(file), 0, 0, State.ACTIVE, Optional.empty(), Optional.empty());
    }

    /** @return a bundle's compositor, active with no tiles yet */
    public static CompositorInfo ofBundle(String name, BundleRef bundle) {
        return new CompositorInfo(name, Kind.BUNDLE, Optional.of(bundle), Optional.empty(), 0, 0, State.ACTIVE, Optional.empty(), Optional.empty());
    }

    /** @return a copy on another layer */
    public CompositorInfo onLayer(int newLayer) {
        return new CompositorInfo(name, kind, bundle, file, newLayer, tiles, state, lastUpdate, lastError);
    }

    /** @return a copy with another state and last error */
    public CompositorInfo with(State newState, Optional<String> error) {
        return new CompositorInfo(name, kind, bundle, file, layer, tiles, newState, lastUpdate, error);
    }

    /** @return a copy after a change of the map: the tile count and the time */
    public CompositorInfo drawn(int newTiles, Instant when) {
        return new CompositorInfo(name, kind, bundle, file, layer, newTiles, state, Optional.of(when), lastError);
    }
}
