package dev.infinitemap.daemon.manifest;

import java.io.File;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.infinitemap.daemon.delta.DaemonThreads;
import dev.infinitemap.daemon.deploy.StableRead;

/**
 * Closes the one gap in FileInstall for manifests: it reports a new file only once the file is
 * unchanged across one of its polls, so a manifest that is created and then rewritten faster
 * than that never reaches the map while its writer runs. A manifest FileInstall has not
 * reported {@value #UNREPORTED_MILLIS} ms after it appeared is applied here, again at each
 * change, until FileInstall reports it (it then reports the file's changes and its deletion
 * itself). Files FileInstall knows, and every other kind of file, are left to FileInstall.
 * <p>
 * The folder is looked at when the file system says a manifest in it changed (a
 * {@link WatchService}), and then as often as FileInstall polls while a manifest is pending, so
 * an idle runtime pays nothing here. Where the file system has no such events, it is polled.
 */
// Not a service: activated at once, with the installer.
@Component(service = {})
public class ManifestWatch {

    static final long POLL_MILLIS = 20;
    static final long UNREPORTED_MILLIS = 100;

    /** A new manifest FileInstall has not reported yet. */
    private static final class Pending {
        final long seenNanos = System.nanoTime();
        StableRead.Stamp applied;
        boolean announced;
    }

    private final ManifestInstaller installer;
    private final Logger log;
    private final File folder;
    private final Bundle system;
    private final ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("infinitemap-manifest-watch"));
    private final AtomicBoolean lookQueued = new AtomicBoolean();
    private final WatchService events;
    // Only the poll thread touches these.
    private final Map<File, Pending> pending = new HashMap<>();
    private StableRead.Stamp folderLooked;

    @Activate
    public ManifestWatch(BundleContext context, @Reference ManifestInstaller installer, @Reference(service = LoggerFactory.class) Logger log) {
        this.installer = installer;
        this.log = log;
        this.system = context.getBundle(0);
        String dir = context.getProperty("felix.fileinstall.dir");
        this.folder = dir == null ? null : new File(dir);
        this.events = folder == null ? null : watch(folder.toPath());
        if (events != null) {
            DaemonThreads.named("infinitemap-manifest-events").newThread(this::listen).start();
            queueLook(POLL_MILLIS);
        } else if (folder != null) {
            poll.scheduleWithFixedDelay(this::look, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private WatchService watch(Path dir) {
        try {
            WatchService service = dir.getFileSystem().newWatchService();
            dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            return service;
        } catch (IOException | UnsupportedOperationException e) {
            log.info("{} has no change events ({}); it is polled every {} ms for manifests instead.", dir, e.toString(), POLL_MILLIS);
            return null;
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        if (events != null) {
            events.close(); // ends listen()
        }
        poll.shutdownNow();
    }

    private void listen() {
        try {
            while (true) {
                WatchKey key = events.take();
                boolean manifest = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    manifest |= event.kind() == StandardWatchEventKinds.OVERFLOW
                            || event.context() instanceof Path name && ManifestInstaller.isManifest(name.toString());
                }
                key.reset();
                if (manifest) {
                    queueLook(0);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // deactivated
        }
    }

    private void queueLook(long delayMillis) {
        if (lookQueued.compareAndSet(false, true)) {
            try {
                poll.schedule(() -> {
                    lookQueued.set(false);
                    look();
                }, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // deactivated
            }
        }
    }

    private void look() {
        if (system.getState() != Bundle.ACTIVE) {
            // FileInstall's first scan, at its start level, comes first
            if (events != null) {
                queueLook(POLL_MILLIS);
            }
            return;
        }
        try {
            // Idle, one stat: a file created, renamed in or deleted changes the folder's time. A
            // time within the timestamp step could still hide a second change, so it is trusted
            // only once settled; files already pending are looked at anyway (rewritten in place).
            StableRead.Stamp folderNow = StableRead.Stamp.of(folder.toPath());
            if (pending.isEmpty() && folderNow != null && folderNow.equals(folderLooked)) {
                return;
            }
            folderLooked = folderNow != null && folderNow.settled() ? folderNow : null;
            File[] files = folder.listFiles();
            Set<File> present = new HashSet<>();
            for (File file : files == null ? new File[0] : files) {
                // A folder with a manifest's name is looked at too, so its entry says it is no file;
                // FileInstall reports files only.
                if (!ManifestInstaller.isManifest(file.getName()) || !(file.isFile() || file.isDirectory())) {
                    continue;
                }
                // FileInstall knows files by their canonical path.
                File canonical = file.getCanonicalFile();
                present.add(canonical);
                if (installer.reportedByFileInstall(canonical)) {
                    pending.remove(canonical);
                    continue;
                }
                Pending seen = pending.computeIfAbsent(canonical, f -> new Pending());
                if (System.nanoTime() - seen.seenNanos < TimeUnit.MILLISECONDS.toNanos(UNREPORTED_MILLIS)) {
                    continue;
                }
                StableRead.Stamp now = StableRead.Stamp.of(canonical.toPath());
                if (now != null && !now.equals(seen.applied)) {
                    if (!seen.announced) {
                        seen.announced = true;
                        log.info("deploy/{} keeps changing, so FileInstall has not picked it up yet; each complete version is applied as it comes.",
                                canonical.getName());
                    }
                    seen.applied = now;
                    installer.apply(canonical, false);
                }
            }
            for (var it = pending.entrySet().iterator(); it.hasNext();) {
                var entry = it.next();
                if (!present.contains(entry.getKey())) {
                    it.remove();
                    if (entry.getValue().applied != null && !installer.reportedByFileInstall(entry.getKey())) {
                        installer.uninstall(entry.getKey()); // FileInstall never knew it, so it reports no deletion
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.error("Watching {} for manifests failed: {}", folder, e.toString(), e);
        }
        if (events != null && !pending.isEmpty()) {
            queueLook(POLL_MILLIS); // FileInstall may report it yet, or it may change in place
        }
    }
}
