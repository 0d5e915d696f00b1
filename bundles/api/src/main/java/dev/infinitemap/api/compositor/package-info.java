/**
 * Compositors: plugins that draw tiles on their own layer of the map.
 * <p>
 * A compositor is a DS component that provides {@link dev.infinitemap.api.compositor.Compositor}
 * and is annotated with {@link dev.infinitemap.api.compositor.CompositorComponent}.
 */
@Export
@Version("1.2.0")
package dev.infinitemap.api.compositor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
