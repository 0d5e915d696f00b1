package dev.infinitemap.daemon.compositor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.compositor.TileCanvas;
import dev.infinitemap.daemon.delta.DeltaPublisher;
import dev.infinitemap.daemon.delta.TileSet;

/**
 * A compositor service's layer. Every call publishes exactly what changed as one delta; once
 * the service is gone the canvas refuses further drawing, so a compositor's late thread
 * cannot bring its tiles back.
 */
final class CompositorCanvas implements TileCanvas {

    private final String compositor;
    private final int layer;
    private final DeltaPublisher publisher;
    private final java.util.function.IntConsumer drawn;
    private TileSet current = TileSet.EMPTY;
    private boolean closed;

    /** @param drawn told the new tile count after each change of the map */
    CompositorCanvas(String compositor, int layer, DeltaPublisher publisher, java.util.function.IntConsumer drawn) {
        this.compositor = compositor;
        this.layer = layer;
        this.publisher = publisher;
        this.drawn = drawn;
    }

    @Override
    public String compositor() {
        return compositor;
    }

    @Override
    public int layer() {
        return layer;
    }

    @Override
    public synchronized void draw(Collection<Tile> tiles) {
        replace(TileSet.of(new ArrayList<>(tiles)));
    }

    @Override
    public synchronized void update(Collection<Tile> put, long... removedCells) {
        Map<Long, Tile> next = new HashMap<>();
        current.tiles().forEach(t -> next.put(t.cell(), t));
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

    synchronized int tileCount() {
        return current.size();
    }

    /** The service is gone: its tiles leave the map and the canvas takes no more drawing. */
    synchronized void close() {
        if (!closed) {
            closed = true;
            publisher.publish(compositor, layer, List.of(), current.cells());
            current = TileSet.EMPTY;
        }
    }

    private void replace(TileSet next) {
        if (closed) {
            throw new IllegalStateException("compositor " + compositor + " was removed; its canvas takes no more tiles");
        }
        TileSet.Diff diff = TileSet.diff(current, next);
        current = next;
        if (!diff.isEmpty()) {
            publisher.publish(compositor, layer, diff.put(), diff.removed());
            drawn.accept(next.size());
        }
    }
}
