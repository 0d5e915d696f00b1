/**
 * The composed map as viewers see it: the top tile of every cell, the revision, the change
 * log and subscriptions to live changes.
 */
@Export
@Version("1.5.0")
package dev.infinitemap.api.map;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
