package dev.infinitemap.api.compositor;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A plugin that draws tiles on its own layer of the map. Register it as a DS component
 * annotated with {@link CompositorComponent}.
 * <p>
 * The runtime calls {@link #render(TileCanvas)} when the compositor arrives. The compositor
 * draws through the canvas, then or later (a clock keeps the canvas and redraws every second).
 * Its tiles leave the map when its service goes away.
 */
@ConsumerType
public interface Compositor {

    /**
     * Draws this compositor's tiles. Called once per service registration, on a thread of
     * the runtime's; a call that throws or takes longer than the runtime's timeout is recorded
     * as this compositor's error and harms no other compositor.
     *
     * @param canvas this compositor's layer; valid until the service is unregistered
     * @throws Exception when the compositor cannot draw; the message is shown to users
     */
    void render(TileCanvas canvas) throws Exception;
}
