package dev.infinitemap.daemon.manifest;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import dev.infinitemap.daemon.deploy.FolderEvents;
import dev.infinitemap.daemon.deploy.StableRead;

/**
 * Closes two gaps in FileInstall for manifests. It reports a new file only once the file is
 * unchanged across one of its polls, so a manifest that is created and then rewritten faster
 * than that never reaches the map while its writer runs: a manifest FileInstall has not reported
 * {@value #UNREPORTED_MILLIS} ms after it appeared is applied here, again at each change, until
 * FileInstall reports it. And it reports a change of a known file only after two scans, each of
 * which checks every file of the folder: a change of a known manifest is applied here as soon as
 * the file system says so. Deletions of known files, and every other kind of file, are left to
 * FileInstall.
 * <p>
 * The names come from the file system's change events ({@link FolderEvents}, which outlive a
 * deleted and recreated folder), so an idle runtime pays nothing here and a change costs what
 * it touches, not the folder's size; the whole folder is listed only when events were lost and
 * when the watch starts in a running framework. Where the file system has no such events, it is polled.
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
    private final FolderEvents events;
    // Names the file system said changed, and whether it lost some: the next look goes through them.
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean lookAtAll;
    // Only the poll thread touches these.
    private final Map<File, Pending> pending = new HashMap<>();
    private StableRead.Stamp folderLooked;

    @Activate
    public ManifestWatch(BundleContext context, @Reference ManifestInstaller installer, @Reference(service = LoggerFactory.class) Logger log) {
        this.installer = installer;
        this.log = log;
        this.system = context.getBundle(0);
        // At start the events cover every change from now on and FileInstall's first scan what
        // is there already; activated later (the daemon restarted), the folder is listed once.
        this.lookAtAll = new AtomicBoolean(system.getState() == Bundle.ACTIVE);
        String dir = context.getProperty("felix.fileinstall.dir");
        this.folder = dir == null ? null : new File(dir);
        this.events = folder == null ? null : watch(folder.toPath());
        if (events != null) {
            queueLook(POLL_MILLIS);
        } else if (folder != null) {
            poll.scheduleWithFixedDelay(this::look, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private FolderEvents watch(Path dir) {
        FolderEvents.Listener listener = new FolderEvents.Listener() {
            @Override
            public void changed(List<Path> names) {
                boolean manifest = false;
                for (Path name : names) {
                    if (ManifestInstaller.isManifest(name.toString())) {
                        touched.add(name.toString());
                        manifest = true;
                    }
                }
                if (manifest) {
                    queueLook(0);
                }
            }

            @Override
            public void lost(String why) {
                lookAtAll.set(true);
                queueLook(0);
            }

            @Override
            public void appeared() {
                lost("the folder was made");
            }
        };
        try {
            FolderEvents watch = FolderEvents.watch(dir, listener, "infinitemap-manifest-events");
            if (watch == null) {
                log.info("{} has no change events; it is polled every {} ms for manifests instead.", dir, POLL_MILLIS);
            }
            return watch;
        } catch (IOException e) {
            log.info("{} cannot be watched ({}); it is polled every {} ms for manifests instead.", dir, e.toString(), POLL_MILLIS);
            return null;
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        if (events != null) {
            events.close();
        }
        poll.shutdownNow();
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
            List<File> candidates = new ArrayList<>(pending.keySet());
            boolean all = lookAtAll.getAndSet(false);
            if (events == null || all) {
                candidates.addAll(listed());
            }
            // Events were lost or the folder was made again (and FileInstall restarted): a manifest
            // deleted meanwhile may never be reported by FileInstall, so the installer's files are
            // checked too, and those gone are uninstalled here.
            Set<File> gone = new HashSet<>();
            if (all) {
                for (File held : installer.files()) {
                    if (!Files.exists(held.toPath(), LinkOption.NOFOLLOW_LINKS)) {
                        gone.add(held);
                    }
                }
            }
            for (File held : gone) {
                installer.uninstall(held);
            }
            for (var it = touched.iterator(); it.hasNext();) {
                candidates.add(new File(folder, it.next()));
                it.remove();
            }
            // FileInstall knows files by the canonical path of the folder and their own name (a
            // link keeps its name, and is refused when it points out of the folder).
            File canonicalFolder = folder.getCanonicalFile();
            Set<File> seenNow = new HashSet<>();
            for (File file : candidates) {
                File known = new File(canonicalFolder, file.getName());
                if (seenNow.add(known)) {
                    lookAt(known);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.error("Watching {} for manifests failed: {}", folder, e.toString(), e);
        }
        if (events != null && !pending.isEmpty()) {
            queueLook(POLL_MILLIS); // FileInstall may report it yet, or it may change in place
        }
    }

    // Without events, or after events were lost: every manifest in the folder. Idle, one stat: a
    // file created, renamed in or deleted changes the folder's time, trusted once settled (a
    // second change within the timestamp step could hide behind it).
    private List<File> listed() {
        StableRead.Stamp folderNow = StableRead.Stamp.of(folder.toPath());
        if (events == null && folderNow != null && folderNow.equals(folderLooked)) {
            return List.of();
        }
        folderLooked = folderNow != null && folderNow.settled() ? folderNow : null;
        File[] files = folder.listFiles();
        List<File> manifests = new ArrayList<>();
        for (File file : files == null ? new File[0] : files) {
            if (ManifestInstaller.isManifest(file.getName())) {
                manifests.add(file);
            }
        }
        return manifests;
    }

    /**
     * One manifest the file system said changed, or one still pending. FileInstall reports a
     * known file's change only once it was unchanged across one of its scans, which with 10,000
     * files in the folder takes 100 ms and more: a change of a file FileInstall knows is applied
     * at once (FileInstall's own report of it then finds it applied). A new file is left to
     * FileInstall for {@value #UNREPORTED_MILLIS} ms, then applied here at each change until
     * FileInstall reports it. Deletions of known files are FileInstall's.
     */
    private void lookAt(File known) {
        // Whatever it is: a folder or a FIFO of that name gets its error too (FileInstall reports regular files only).
        boolean exists = Files.exists(known.toPath(), LinkOption.NOFOLLOW_LINKS);
        if (installer.reportedByFileInstall(known)) {
            pending.remove(known);
            if (exists) {
                installer.apply(known, false);
            }
            return;
        }
        if (!exists) {
            Pending gone = pending.remove(known);
            if (gone != null && gone.applied != null) {
                installer.uninstall(known); // FileInstall never knew it, so it reports no deletion
            }
            return;
        }
        Pending seen = pending.computeIfAbsent(known, f -> new Pending());
        if (System.nanoTime() - seen.seenNanos < TimeUnit.MILLISECONDS.toNanos(UNREPORTED_MILLIS)) {
            return;
        }
        StableRead.Stamp now = StableRead.Stamp.of(known.toPath());
        if (now != null && !now.equals(seen.applied)) {
            if (!seen.announced) {
                seen.announced = true;
                log.info("deploy/{} keeps changing, so FileInstall has not picked it up yet; each complete version is applied as it comes.",
                        known.getName());
            }
            seen.applied = now;
            installer.apply(known, false);
        }
    }
}
