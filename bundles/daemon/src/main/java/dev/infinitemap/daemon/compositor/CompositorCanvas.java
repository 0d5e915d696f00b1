package dev.infinitemap.daemon.compositor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.compositor.TileCanvas;
import dev.infinitemap.daemon.delta.TileSet;
import dev.infinitemap.daemon.registry.CompositorLayer;

/**
 * A compositor service's view of its layer. Every call becomes exactly one delta; once the
 * service is gone the canvas refuses further drawing, so a compositor's late thread cannot
 * bring its tiles back.
 */
final class CompositorCanvas implements TileCanvas {

    private final CompositorLayer layer;
    private final int layerNumber;
    private boolean closed;

    CompositorCanvas(CompositorLayer layer, int layerNumber) {
        this.layer = layer;
        this.layerNumber = layerNumber;
    }

    CompositorLayer mapLayer() {
        return layer;
    }

    @Override
    public String compositor() {
        return layer.name();
    }

    @Override
    public int layer() {
        return layerNumber;
    }

    @Override
    public synchronized void draw(Collection<Tile> tiles) {
        replace(TileSet.of(new ArrayList<>(tiles)));
    }

    @Override
    public synchronized void update(Collection<Tile> put, long... removedCells) {
        Map<Long, Tile> next = new HashMap<>();
        layer.tiles().tiles().forEach(t -> next.put(t.cell(), t));
        for (long cell : removedCells) {
            next.remove(cell);
        }
        put.forEach(t -> next.put(t.cell(), t));
        replace(TileSet.of(new ArrayList<>(next.values())));
    }

    @Override
    public synchronized void clear() {
        replace(TileSet.EMPTY);
    }

    /** The service is gone: its tiles leave the map and the canvas takes no more drawing. */
    synchronized void close() {
        if (!closed) {
            closed = true;
            layer.leave();
        }
    }

    private void replace(TileSet next) {
        if (closed) {
            throw new IllegalStateException("compositor " + layer.name() + " was removed; its canvas takes no more tiles");
        }
        layer.draw(layerNumber, next);
    }
}
