package dev.infinitemap.daemon.manifest;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.infinitemap.api.compositor.CompositorInfo;
import dev.infinitemap.api.event.MapEvents;
import dev.infinitemap.daemon.delta.DaemonThreads;
import dev.infinitemap.daemon.delta.DeltaPublisher;
import dev.infinitemap.daemon.delta.TileSet;
import dev.infinitemap.daemon.registry.CompositorStates;

/**
 * Turns tile manifests in {@code deploy/} ({@code manifest.json}, {@code *.manifest.json})
 * into exact deltas: each file is one compositor, and each change of the file posts exactly
 * the cells that changed. A file that is invalid changes nothing: its last good tiles stay
 * and the error is logged with the file and the position.
 */
@Component
public class ManifestInstaller implements ArtifactInstaller {

    /** A file modified this recently that ends early is taken to be still being written. */
    static final long STILL_WRITING_MILLIS = 2000;
    // About 150,000 tiles, a second's read on a small machine.
    static final long PROGRESS_FILE_BYTES = 8L << 20;

    /** The last good state of one manifest file. */
    private record Applied(String compositor, int layer, TileSet tiles, Instant lastUpdate) {
    }

    private final Logger log;
    private final DeltaPublisher publisher;
    private final CompositorStates states;
    private final ScheduledExecutorService recheck = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("infinitemap-manifest-recheck"));
    private final Map<File, Applied> applied = new HashMap<>();
    private final ManifestLimits limits;

    @Activate
    public ManifestInstaller(@Reference DeltaPublisher publisher, @Reference CompositorStates states,
            @Reference(service = LoggerFactory.class) Logger log, @Reference ManifestLimits limits) {
        this.log = log;
        this.publisher = publisher;
        this.states = states;
        this.limits = limits;
    }

    @Deactivate
    void deactivate() {
        recheck.shutdownNow();
    }

    @Override
    public boolean canHandle(File file) {
        String name = file.getName();
        return name.equals("manifest.json") || name.endsWith(".manifest.json");
    }

    @Override
    public void install(File file) {
        apply(file);
    }

    @Override
    public void update(File file) {
        apply(file);
    }

    @Override
    public synchronized void uninstall(File file) {
        states.remove(owner(file));
        Applied before = applied.remove(file);
        if (before != null) {
            publisher.publish(before.compositor(), before.layer(), List.of(), before.tiles().cells());
            publisher.release(before.compositor(), owner(file));
            publisher.lifecycle(MapEvents.COMPOSITOR_REMOVED, before.compositor(), null);
            log.info("deploy/{} removed: its {} tiles left the map (compositor {}).", file.getName(), before.tiles().size(), before.compositor());
        }
    }

    synchronized void apply(File file) {
        if (!file.isFile()) {
            return; // deleted meanwhile: FileInstall calls uninstall next
        }
        long started = System.nanoTime();
        Manifest manifest;
        try {
            manifest = read(file);
        } catch (ManifestException e) {
            long age = System.currentTimeMillis() - file.lastModified();
            if (e.truncated() && age < STILL_WRITING_MILLIS) {
                recheck.schedule(() -> apply(file), STILL_WRITING_MILLIS - age + 50, TimeUnit.MILLISECONDS);
                return;
            }
            fail(file, e.getMessage());
            return;
        }
        String compositor = manifest.compositor().orElse(nameOf(file));
        Optional<String> taken = publisher.claim(compositor, owner(file));
        if (taken.isPresent()) {
            fail(file, "the compositor name \"" + compositor + "\" is already used by " + taken.get());
            return;
        }
        Applied before = applied.get(file);
        if (before != null && !before.compositor().equals(compositor)) {
            publisher.publish(before.compositor(), before.layer(), List.of(), before.tiles().cells());
            publisher.release(before.compositor(), owner(file));
            publisher.lifecycle(MapEvents.COMPOSITOR_REMOVED, before.compositor(), null);
            before = null;
        }
        if (before == null) {
            publisher.lifecycle(MapEvents.COMPOSITOR_ADDED, compositor, null);
        }
        TileSet.Diff diff = TileSet.diff(before == null ? TileSet.EMPTY : before.tiles(), manifest.tiles());
        boolean layerChanged = before != null && before.layer() != manifest.layer();
        if (!diff.isEmpty() || layerChanged) {
            publisher.publish(compositor, manifest.layer(), diff.put(), diff.removed());
        }
        Instant changed = !diff.isEmpty() || layerChanged || before == null ? Instant.now() : before.lastUpdate();
        applied.put(file, new Applied(compositor, manifest.layer(), manifest.tiles(), changed));
        states.put(owner(file), new CompositorInfo(compositor, CompositorInfo.Kind.MANIFEST, Optional.empty(), Optional.of(file.getName()),
                manifest.layer(), manifest.tiles().size(), CompositorInfo.State.ACTIVE, Optional.of(changed), Optional.empty()));
        log.info("deploy/{} applied in {} ms: {} tiles put, {} removed (compositor {}, layer {}).", file.getName(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), diff.put().size(), diff.removed().length, compositor, manifest.layer());
    }

    private Manifest read(File file) throws ManifestException {
        long size = file.length();
        long maxFileBytes = limits.maxFileBytes();
        if (size > maxFileBytes) {
            throw new ManifestException("the file is " + size + " bytes, over the limit of " + maxFileBytes, false);
        }
        ManifestReader.Progress progress = (tiles, bytes) -> { };
        if (size >= PROGRESS_FILE_BYTES) {
            // A big file takes seconds: say so, and how far it got every second or so.
            log.info("Reading deploy/{} ({} MB)...", file.getName(), size >> 20);
            long[] lastReport = { System.nanoTime() };
            progress = (tiles, bytes) -> {
                if (System.nanoTime() - lastReport[0] >= TimeUnit.SECONDS.toNanos(1)) {
                    lastReport[0] = System.nanoTime();
                    log.info("Reading deploy/{}: {}% ({} tiles so far)...", file.getName(), bytes * 100 / size, tiles);
                }
            };
        }
        try (InputStream in = Files.newInputStream(file.toPath())) {
            return new ManifestReader(limits.maxTiles(), progress).read(in);
        } catch (IOException e) {
            throw new ManifestException("cannot read the file: " + e.getMessage(), false);
        }
    }

    private void fail(File file, String reason) {
        // The last good tiles stay on the map, so the entry keeps their figures.
        Applied good = applied.get(file);
        states.put(owner(file), new CompositorInfo(good != null ? good.compositor() : nameOf(file), CompositorInfo.Kind.MANIFEST,
                Optional.empty(), Optional.of(file.getName()), good != null ? good.layer() : 0, good != null ? good.tiles().size() : 0,
                CompositorInfo.State.FAILED, Optional.ofNullable(good).map(Applied::lastUpdate), Optional.of(reason)));
        Applied last = applied.get(file);
        publisher.lifecycle(MapEvents.COMPOSITOR_FAILED, last != null ? last.compositor() : nameOf(file), "deploy/" + file.getName() + ": " + reason);
        log.error("deploy/{} was not applied: {}. {}", file.getName(), reason,
                applied.containsKey(file) ? "Its last good tiles stay on the map." : "It has no tiles on the map yet.");
    }

    private static String owner(File file) {
        return "deploy/" + file.getName();
    }

    private static String nameOf(File file) {
        String name = file.getName();
        return name.equals("manifest.json") ? "manifest" : name.substring(0, name.length() - ".manifest.json".length());
    }
}
