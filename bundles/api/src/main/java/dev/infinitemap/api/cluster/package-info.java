/**
 * The cluster as one runtime sees it: its own id and state in the shared map, the other
 * runtimes and their compositors. Present as a service only while the runtime shares its map.
 */
@Export
@Version("1.0.0")
package dev.infinitemap.api.cluster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
