package dev.infinitemap.daemon.deploy;

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.ServiceTracker;

import dev.infinitemap.daemon.delta.DaemonThreads;

/**
 * Keeps FileInstall's configuration installer from reading a {@code .cfg} or {@code .config}
 * file while it is being rewritten in place. FileInstall asks the highest-ranked installer
 * first, so this one takes every configuration file, waits until the file has not changed for
 * {@value #QUIET_MILLIS} ms (far longer than one write takes, and longer than the file
 * system's timestamp step, so a later write must move the time), hands it to FileInstall's own
 * installer, and hands it again if the file changed while that read it. The parsing, the
 * Config Admin update and the deletion stay FileInstall's. That installer reads the file
 * itself, so a write that starts during its read (after 15 ms of stillness: rare, and never
 * seen in the tests) can still give a half state, which then lasts until the next hand-over,
 * 15 ms later; writing elsewhere and renaming into {@code deploy/} rules even that out.
 */
@Component(property = Constants.SERVICE_RANKING + ":Integer=100")
public class ConfigFileGuard implements ArtifactInstaller {

    static final long QUIET_MILLIS = 15;
    private static final String FILEINSTALL = "org.apache.felix.fileinstall";

    private final ServiceTracker<ArtifactInstaller, ArtifactInstaller> installers;
    private final Logger log;
    private final ScheduledExecutorService waits = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("infinitemap-config-guard"));
    // Guarded by this.
    private final Map<File, ScheduledFuture<?>> pending = new HashMap<>();

    @Activate
    public ConfigFileGuard(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        // Only FileInstall's own: getting any other installer (this one included) would
        // activate it from here, and this one is still being activated.
        this.installers = new ServiceTracker<>(context, ArtifactInstaller.class, null) {
            @Override
            public ArtifactInstaller addingService(ServiceReference<ArtifactInstaller> reference) {
                Bundle owner = reference.getBundle();
                return owner != null && FILEINSTALL.equals(owner.getSymbolicName()) ? super.addingService(reference) : null;
            }
        };
        installers.open();
    }

    @Deactivate
    void deactivate() {
        waits.shutdownNow();
        installers.close();
    }

    @Override
    public boolean canHandle(File file) {
        String name = file.getName();
        // Not waiting for FileInstall's own installer to be there: a file FileInstall gave it once stays its.
        return name.endsWith(".cfg") || name.endsWith(".config");
    }

    @Override
    public void install(File file) {
        handOver(file, true);
    }

    @Override
    public void update(File file) {
        handOver(file, false);
    }

    @Override
    public synchronized void uninstall(File file) {
        cancel(file);
        ArtifactInstaller own = fileInstallsOwn(file);
        if (own != null) {
            try {
                own.uninstall(file);
            } catch (Exception e) {
                log.error("Removing the configuration of deploy/{} failed: {}", file.getName(), e.toString());
            }
        }
    }

    private synchronized void handOverWhenQuiet(File file, boolean install) {
        cancel(file);
        try {
            pending.put(file, waits.schedule(() -> handOver(file, install), QUIET_MILLIS, TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            // deactivated
        }
    }

    // On FileInstall's thread when the file is already still (at start, so the ready line comes
    // after the configurations are in), else on this guard's own thread once it is.
    private void handOver(File file, boolean install) {
        synchronized (this) {
            cancel(file);
        }
        StableRead.Stamp before = StableRead.Stamp.of(file.toPath());
        if (before == null) {
            return; // deleted: FileInstall calls uninstall
        }
        if (!before.settled(TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS))) {
            handOverWhenQuiet(file, install); // still being written
            return;
        }
        ArtifactInstaller own = fileInstallsOwn(file);
        if (own == null) {
            handOverWhenQuiet(file, install); // FileInstall registers it once Config Admin is there
            return;
        }
        try {
            if (install) {
                own.install(file);
            } else {
                own.update(file);
            }
        } catch (Exception e) {
            log.error("deploy/{} was not applied: {}", file.getName(), e.toString());
        }
        if (!before.equals(StableRead.Stamp.of(file.toPath()))) {
            // Written again while FileInstall read it: give it the complete version too.
            handOverWhenQuiet(file, false);
        }
    }

    private void cancel(File file) {
        ScheduledFuture<?> waiting = pending.remove(file);
        if (waiting != null) {
            waiting.cancel(false);
        }
    }

    /** @return FileInstall's own installer for this file, or null while FileInstall has none */
    private ArtifactInstaller fileInstallsOwn(File file) {
        for (ArtifactInstaller installer : installers.getTracked().values()) {
            if (installer.canHandle(file)) {
                return installer;
            }
        }
        return null;
    }
}
