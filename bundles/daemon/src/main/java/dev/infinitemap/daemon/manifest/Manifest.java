package dev.infinitemap.daemon.manifest;

import java.util.Optional;

import dev.infinitemap.daemon.delta.TileSet;

/**
 * A valid tile manifest.
 *
 * @param compositor the name given in the file, if any
 * @param layer the layer, 0 when not given
 * @param tiles the tiles
 */
record Manifest(Optional<String> compositor, int layer, TileSet tiles) {
}
