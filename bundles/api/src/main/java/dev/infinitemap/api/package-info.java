/**
 * The tile model of the infinite map: cells, tiles and the deltas that change them.
 */
@Export
@Version("1.1.0")
package dev.infinitemap.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
