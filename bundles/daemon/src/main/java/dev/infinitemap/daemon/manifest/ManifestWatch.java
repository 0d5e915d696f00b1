package dev.infinitemap.daemon.manifest;

import java.io.File;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 * than that never reaches the map while its writer runs. This watch looks at the hot folder as
 * often as FileInstall does; a manifest FileInstall has not reported {@value #UNREPORTED_MILLIS}
 * ms after it appeared is applied here, again at each change, until FileInstall reports it (it
 * then reports the file's changes and its deletion itself). Files FileInstall knows, and every
 * other kind of file, are left to FileInstall.
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
    // Only the poll thread touches it.
    private final Map<File, Pending> pending = new HashMap<>();

    @Activate
    public ManifestWatch(BundleContext context, @Reference ManifestInstaller installer, @Reference(service = LoggerFactory.class) Logger log) {
        this.installer = installer;
        this.log = log;
        this.system = context.getBundle(0);
        String dir = context.getProperty("felix.fileinstall.dir");
        this.folder = dir == null ? null : new File(dir);
        if (folder != null) {
            poll.scheduleWithFixedDelay(this::look, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Deactivate
    void deactivate() {
        poll.shutdownNow();
    }

    private void look() {
        if (system.getState() != Bundle.ACTIVE) {
            return; // FileInstall's first scan, at its start level, comes first
        }
        try {
            File[] files = folder.listFiles();
            Set<File> present = new HashSet<>();
            for (File file : files == null ? new File[0] : files) {
                if (!ManifestInstaller.isManifest(file.getName()) || !file.isFile()) {
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
        } catch (java.io.IOException | RuntimeException e) {
            log.error("Watching {} for manifests failed: {}", folder, e.toString(), e);
        }
    }
}
