/** Tile manifests: reading, validating and diffing them. Private. */
package dev.infinitemap.daemon.manifest;
