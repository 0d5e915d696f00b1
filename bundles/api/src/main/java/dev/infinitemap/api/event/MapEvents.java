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

    /** Event property: the delta's sequence number in its compositor (Long). */
    public static final String SEQUENCE = "sequence";

    private MapEvents() {
    }
}
