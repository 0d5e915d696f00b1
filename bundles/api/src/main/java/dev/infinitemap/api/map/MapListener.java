package dev.infinitemap.api.map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives every change of the composed map, in revision order.
 */
@ConsumerType
public interface MapListener {

    /**
     * Called on the map's own thread after each applied delta. Return quickly: queue the
     * change and send it elsewhere; a listener that blocks delays every other listener.
     *
     * @param change what changed
     */
    void changed(MapChange change);
}
