package dev.infinitemap.api.event;

/**
 * Event Admin topic and property names of the InfiniteMap.
 */
public final class MapEvents {

    /** A {@link dev.infinitemap.api.TileDelta} for the map; posted asynchronously, in order per compositor. */
    public static final String DELTA_TOPIC = "dev/infinitemap/delta";

    /** Event property: the {@link dev.infinitemap.api.TileDelta} itself. */
    public static final String DELTA = "delta";

    /** Event property: the compositor name (String). */
    public static final String COMPOSITOR = "compositor";

    /** Event property: the compositor's layer (Integer). */
    public static final String LAYER = "layer";

    /**
     * Event property: the id of the runtime a delta came from, set on deltas that another runtime
     * of the cluster made (String). A handler that forwards local deltas filters them out with
     * {@code (!(dev.infinitemap.origin=*))}, so nothing goes round in a loop.
     */
    public static final String ORIGIN = "dev.infinitemap.origin";

    /** Event property: the delta's sequence number in its compositor (Long). */
    public static final String SEQUENCE = "sequence";

    private MapEvents() {
    }
}
