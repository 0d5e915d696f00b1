/**
 * The Event Admin topics and event properties by which deltas and compositor lifecycle
 * changes travel from the daemon to the map.
 */
@Export
@Version("1.0.0")
package dev.infinitemap.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
