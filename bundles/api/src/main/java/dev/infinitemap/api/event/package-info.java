/**
 * The Event Admin topic and event properties by which deltas travel from the daemon to the map.
 * <p>
 * 2.0: the compositor lifecycle topics are gone. Nothing consumed them; a compositor's state
 * has one channel, {@link dev.infinitemap.api.compositor.CompositorRegistry}.
 * <p>
 * 2.1: {@link dev.infinitemap.api.event.MapEvents#ORIGIN}, the runtime a remote delta came from.
 */
@Export
@Version("2.1.0")
package dev.infinitemap.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
