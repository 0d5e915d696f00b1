package dev.infinitemap.daemon.manifest;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.infinitemap.api.TileRules;
import dev.infinitemap.api.compositor.CompositorInfo;
import dev.infinitemap.daemon.delta.DaemonThreads;
import dev.infinitemap.daemon.delta.DeltaPublisher;
import dev.infinitemap.daemon.delta.TileSet;
import dev.infinitemap.daemon.deploy.StableRead;
import dev.infinitemap.daemon.registry.CompositorLayer;
import dev.infinitemap.daemon.registry.CompositorStates;

/**
 * Turns tile manifests in {@code deploy/} ({@code manifest.json}, {@code *.manifest.json})
 * into exact deltas: each file is one compositor's layer, and each change of the file posts
 * exactly the cells that changed. A file that is invalid changes nothing: its last good tiles
 * stay and the error is logged with the file and the position. A file caught while it is
 * being written (it changed during the read, is empty, or ends early) is read again shortly
 * instead; only one that stays so for {@value #STILL_WRITING_MILLIS} ms is an error.
 */
@Component(service = { ArtifactInstaller.class, ManifestInstaller.class })
public class ManifestInstaller implements ArtifactInstaller {

    /** A file modified this recently that ends early is taken to be still being written. */
    static final long STILL_WRITING_MILLIS = 2000;
    // About 150,000 tiles, a second's read on a small machine.
    static final long PROGRESS_FILE_BYTES = 8L << 20;
    // A writer rewriting the file continuously is caught up with this soon after its last complete version.
    static final long RECHECK_MILLIS = 20;
    /**
     * At start, the manifests applied after this many are summed up in one line once the
     * framework has started, instead of a line each: with 10,000 files the lines (and the
     * compiling of the code that writes them) were about a fifth of the start.
     */
    static final int START_LINES = 100;

    private final Logger log;
    private final DeltaPublisher publisher;
    private final CompositorStates states;
    private final ManifestLimits limits;
    private final ScheduledExecutorService recheck = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("infinitemap-manifest-recheck"));
    // Guarded by this.
    private final Map<File, CompositorLayer> layers = new HashMap<>();
    private final Map<File, ScheduledFuture<?>> rechecks = new HashMap<>();
    // What each file was when last applied or refused, so an unchanged file is not read again.
    private final Map<File, StableRead.Stamp> lastRead = new HashMap<>();
    // What the last parsed version of each file held: the watch and FileInstall often both report
    // one new version, and a 10,000-tile file is not parsed twice for that.
    private final Map<File, Long> lastContent = new HashMap<>();
    private final Set<File> reported = new HashSet<>();
    private final BundleContext context;
    private final FrameworkListener startSummary = this::frameworkEvent;
    // Guarded by this: the manifests applied while the framework was starting, and those without a line of their own.
    private int appliedAtStart;
    private int unlistedAtStart;
    private long tilesUnlistedAtStart;
    private final long activatedNanos = System.nanoTime();

    @Activate
    public ManifestInstaller(BundleContext context, @Reference DeltaPublisher publisher, @Reference CompositorStates states,
            @Reference(service = LoggerFactory.class) Logger log, @Reference ManifestLimits limits) {
        this.context = context;
        this.log = log;
        this.publisher = publisher;
        this.states = states;
        this.limits = limits;
        context.addFrameworkListener(startSummary);
    }

    private void frameworkEvent(FrameworkEvent event) {
        if (event.getType() != FrameworkEvent.STARTED) {
            return;
        }
        synchronized (this) {
            if (unlistedAtStart > 0) {
                log.info("{} manifests in deploy/ were applied at start, in {} ms; the {} not listed above put {} tiles.", appliedAtStart,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - activatedNanos), unlistedAtStart, tilesUnlistedAtStart);
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        context.removeFrameworkListener(startSummary);
        recheck.shutdownNow();
        // A stopping framework takes the map with it: with 10,000 manifests the removals only
        // flooded a stopping Event Admin (hundreds of RejectedExecutionException warnings).
        if (context.getBundle(0).getState() != Bundle.STOPPING) {
            layers.values().forEach(CompositorLayer::leave);
        }
        layers.clear();
    }

    @Override
    public boolean canHandle(File file) {
        return isManifest(file.getName());
    }

    static boolean isManifest(String name) {
        return name.equals("manifest.json") || name.endsWith(".manifest.json");
    }

    @Override
    public synchronized void install(File file) {
        reported.add(file);
        apply(file, false);
    }

    @Override
    public synchronized void update(File file) {
        reported.add(file);
        apply(file, false);
    }

    @Override
    public synchronized void uninstall(File file) {
        reported.remove(file);
        lastRead.remove(file);
        lastContent.remove(file);
        cancelRecheck(file);
        CompositorLayer layer = layers.remove(file);
        if (layer == null) {
            states.remove(CompositorLayer.manifestKey(file.getName()));
            return;
        }
        int tiles = layer.tiles().size();
        layer.leave();
        log.info("deploy/{} removed: its {} tiles left the map (compositor {}).", file.getName(), tiles, layer.name());
    }

    /** @return the files this installer holds a compositor or an error for */
    synchronized List<File> files() {
        Set<File> files = new HashSet<>(layers.keySet());
        files.addAll(reported);
        return new ArrayList<>(files);
    }

    /** @return whether FileInstall has reported this file (and so reports its changes and deletion) */
    synchronized boolean reportedByFileInstall(File file) {
        return reported.contains(file);
    }

    /**
     * Applies the file as it is on disk now.
     *
     * @param force read it even if it looks unchanged since the last read (its name has just come to it)
     */
    synchronized void apply(File file, boolean force) {
        cancelRecheck(file);
        long started = System.nanoTime();
        StableRead.Stamp last = lastRead.remove(file);
        // A file not read before needs no look at its stamp (at start, 10,000 files spare a stat each).
        StableRead.Stamp stamp = last == null ? null : StableRead.Stamp.of(file.toPath());
        if (!force && stamp != null && stamp.equals(last) && stamp.settled()) {
            lastRead.put(file, last);
            return; // FileInstall and the watch may both report one version
        }
        if (!insideItsFolder(file)) {
            lastRead.put(file, StableRead.Stamp.of(file.toPath()));
            fail(file, "it is a symbolic link to a file outside deploy/, so it is not read; put the manifest itself into deploy/");
            return;
        }
        StableRead.Result read = StableRead.of(file.toPath(), limits.maxFileBytes());
        switch (read.outcome()) {
            case GONE -> {
                return; // deleted meanwhile: FileInstall calls uninstall next
            }
            case CHANGING -> {
                scheduleRecheck(file, RECHECK_MILLIS);
                return;
            }
            case TOO_BIG, UNREADABLE -> {
                lastRead.put(file, read.stamp());
                fail(file, read.problem());
                return;
            }
            case STABLE -> {
                // parsed below
            }
        }
        long content = contentKey(read.bytes());
        if (!force && Long.valueOf(content).equals(lastContent.get(file))) {
            lastRead.put(file, read.stamp());
            return; // the version last parsed, reported again
        }
        Manifest manifest;
        try {
            manifest = parse(file, read.bytes());
        } catch (ManifestException e) {
            long age = System.currentTimeMillis() - read.modifiedMillis();
            if (e.truncated() && age < STILL_WRITING_MILLIS) {
                // Read again soon, but not more often than the read itself takes.
                long readMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                scheduleRecheck(file, Math.min(STILL_WRITING_MILLIS - age + 1, Math.max(RECHECK_MILLIS, 2 * readMillis)));
                return;
            }
            lastRead.put(file, read.stamp());
            lastContent.put(file, content);
            fail(file, e.getMessage());
            return;
        }
        lastRead.put(file, read.stamp());
        lastContent.put(file, content);
        String name = manifest.compositor().orElse(nameOf(file));
        Optional<String> unreadable = TileRules.characterProblem("the compositor name its file name gives", name);
        if (unreadable.isPresent()) {
            fail(file, unreadable.get() + "; rename the file, or name the compositor in it with \"compositor\"");
            return;
        }
        CompositorLayer layer = layers.get(file);
        if (layer != null && !layer.name().equals(name)) {
            int left = layer.tiles().size();
            layer.leave();
            log.info("deploy/{} now names compositor {}: the {} tiles of compositor {} left the map.", file.getName(), name, left, layer.name());
            layer = null;
        }
        if (layer == null) {
            layer = CompositorLayer.ofManifest(states, publisher, file.getName(), name, () -> apply(file, true));
            layers.put(file, layer);
        }
        if (!layer.claim()) {
            return; // the registry said whose the name is; the file is applied when it comes to this one
        }
        TileSet.Diff diff = layer.draw(manifest.layer(), manifest.tiles());
        if (diff == null) {
            return; // taken by a bundle starting meanwhile
        }
        if (states.starting() && ++appliedAtStart > START_LINES) {
            unlistedAtStart++;
            tilesUnlistedAtStart += diff.put().size();
            return;
        }
        log.info("deploy/{} applied in {} ms: {} tiles put, {} removed (compositor {}, layer {}).", file.getName(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), diff.put().size(), diff.removed().length, name, manifest.layer());
    }

    // A link within deploy/ is fine; one out of it would let the file name of a manifest read any file the runtime can.
    private static boolean insideItsFolder(File file) {
        Path path = file.toPath();
        if (!Files.isSymbolicLink(path)) {
            return true;
        }
        try {
            return path.toRealPath().startsWith(path.toAbsolutePath().getParent().toRealPath());
        } catch (IOException e) {
            return true; // a dangling link: the read says it is gone
        }
    }

    private static long contentKey(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue() << 32 ^ bytes.length;
    }

    private Manifest parse(File file, byte[] bytes) throws ManifestException {
        ManifestReader.Progress progress = (tiles, read) -> { };
        long size = bytes.length;
        if (size >= PROGRESS_FILE_BYTES) {
            // A big file takes seconds: say so, and how far it got every second or so.
            log.info("Reading deploy/{} ({} MB)...", file.getName(), size >> 20);
            long[] lastReport = { System.nanoTime() };
            progress = (tiles, read) -> {
                if (System.nanoTime() - lastReport[0] >= TimeUnit.SECONDS.toNanos(1)) {
                    lastReport[0] = System.nanoTime();
                    log.info("Reading deploy/{}: {}% ({} tiles so far)...", file.getName(), read * 100 / size, tiles);
                }
            };
        }
        return new ManifestReader(limits.maxTiles(), progress).read(bytes);
    }

    private void fail(File file, String reason) {
        // The last good tiles stay on the map, so the entry keeps their figures.
        CompositorLayer layer = layers.get(file);
        if (layer != null) {
            layer.failed(reason);
        } else {
            states.put(CompositorLayer.manifestKey(file.getName()),
                    CompositorInfo.ofManifest(nameOf(file), file.getName()).with(CompositorInfo.State.FAILED, Optional.of(reason)));
        }
        log.error("deploy/{} was not applied: {}. {}", file.getName(), reason,
                layer != null && layer.tiles().size() > 0 ? "Its last good tiles stay on the map." : "It has no tiles on the map yet.");
    }

    private void scheduleRecheck(File file, long delayMillis) {
        try {
            rechecks.put(file, recheck.schedule(() -> apply(file, true), delayMillis, TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            // deactivated
        }
    }

    private void cancelRecheck(File file) {
        ScheduledFuture<?> pending = rechecks.remove(file);
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private static String nameOf(File file) {
        String name = file.getName();
        return name.equals("manifest.json") ? "manifest" : name.substring(0, name.length() - ".manifest.json".length());
    }
}
