package dev.infinitemap.api.event;

/**
 * Event Admin topics and property names of the InfiniteMap.
 */
public final class MapEvents {

    /** A {@link dev.infinitemap.api.TileDelta} for the map; posted asynchronously, in order per compositor. */
    public static final String DELTA_TOPIC = "dev/infinitemap/delta";

    /** Prefix of the compositor lifecycle topics. */
    public static final String COMPOSITOR_TOPIC_PREFIX = "dev/infinitemap/compositor/";

    /** A compositor arrived (its bundle started or its manifest file appeared). */
    public static final String COMPOSITOR_ADDED = COMPOSITOR_TOPIC_PREFIX + "ADDED";

    /** A compositor left the map; its tiles were removed. */
    public static final String COMPOSITOR_REMOVED = COMPOSITOR_TOPIC_PREFIX + "REMOVED";

    /** A compositor failed: an invalid file, a throwing or hanging compositor, an unresolvable bundle. */
    public static final String COMPOSITOR_FAILED = COMPOSITOR_TOPIC_PREFIX + "FAILED";

    /** Event property: the {@link dev.infinitemap.api.TileDelta} itself. */
    public static final String DELTA = "delta";

    /** Event property: the compositor name (String). */
    public static final String COMPOSITOR = "compositor";

    /** Event property: the compositor's layer (Integer). */
    public static final String LAYER = "layer";

    /** Event property: the delta's sequence number in its compositor (Long). */
    public static final String SEQUENCE = "sequence";

    /** Event property: why a compositor failed (String). */
    public static final String ERROR = "error";

    /** Event property on {@link #COMPOSITOR_FAILED}: {@value #UNRESOLVED} for a bundle that cannot resolve. */
    public static final String STATE = "state";

    /** Value of {@link #STATE}: the compositor's bundle cannot resolve; {@link #ERROR} names what is missing. */
    public static final String UNRESOLVED = "unresolved";

    /** Event property: the compositor bundle's symbolic name (String), on events about bundles. */
    public static final String BUNDLE = "bundle";

    private MapEvents() {
    }
}
