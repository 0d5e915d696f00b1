package dev.infinitemap.itest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.infinitemap.api.CellKey;
import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.api.map.MapChange;

/**
 * The map changes that touch one row of cells. Tests share one framework, and another test's
 * files or compositors may still be settling elsewhere on the map (a FileInstall poll later):
 * a test that counts global revisions fails on them, one that watches its own row does not.
 */
final class RowWatch implements AutoCloseable {

    private final int row;
    private final List<MapChange> changes = new CopyOnWriteArrayList<>();
    private final AutoCloseable subscription;

    RowWatch(InfiniteMap map, int row) {
        this.row = row;
        this.subscription = map.subscribe(this::record);
    }

    private void record(MapChange change) {
        boolean puts = change.put().stream().anyMatch(t -> t.tile().y() == row);
        boolean removes = Arrays.stream(change.removedCells()).anyMatch(cell -> CellKey.y(cell) == row);
        if (puts || removes) {
            changes.add(change);
        }
    }

    /** @return the changes heard so far, in the order the map made them */
    List<MapChange> changes() {
        return List.copyOf(changes);
    }

    /** @return the revisions of the changes heard so far */
    List<Long> revisions() {
        List<Long> revisions = new ArrayList<>();
        changes.forEach(change -> revisions.add(change.revision()));
        return revisions;
    }

    /** @return how many changes were heard */
    int size() {
        return changes.size();
    }

    @Override
    public void close() throws Exception {
        subscription.close();
    }
}
