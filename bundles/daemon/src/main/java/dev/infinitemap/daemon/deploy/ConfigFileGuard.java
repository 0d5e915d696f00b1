package dev.infinitemap.daemon.deploy;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.ServiceTracker;

import dev.infinitemap.daemon.delta.DaemonThreads;

/**
 * Keeps a {@code .cfg} or {@code .config} file that is being rewritten in place from reaching
 * any component half-written.
 * <p>
 * FileInstall asks the highest-ranked installer first, so this one takes every configuration
 * file, waits until the file has not changed for {@value #QUIET_MILLIS} ms (an empty one for
 * {@value #EMPTY_MILLIS} ms) (far longer than one
 * write takes, and longer than the file system's timestamp step, so a later write must move the
 * time), hands it to FileInstall's own installer, and hands it again if the file changed while
 * that read it. The parsing, the Config Admin update and the deletion stay FileInstall's.
 * <p>
 * FileInstall reads the file itself, so a write that starts during its read can still give it a
 * half state. That is what the second role is for: as a Config Admin plugin, this sees what
 * Config Admin gives every component (Declarative Services and managed services alike) before
 * they do. A delivery of a file whose hand-over is still being judged waits for the verdict;
 * one with the properties of a hand-over during which the file changed gets the properties of
 * the last clean one instead, until the next hand-over, {@value #QUIET_MILLIS} ms later, brings
 * the complete version (delivered again even if FileInstall found nothing new in it).
 */
@Component(service = { ArtifactInstaller.class, ConfigurationPlugin.class }, property = Constants.SERVICE_RANKING + ":Integer=100")
public class ConfigFileGuard implements ArtifactInstaller, ConfigurationPlugin {

    /** What FileInstall's configurations of a file carry: the file's URI. */
    static final String FILENAME = "felix.fileinstall.filename";

    /** What the hand-overs of one file found, by its URI as FileInstall writes it. */
    private static final class Verdicts {
        /** Set while a hand-over runs: deliveries of the file wait for its verdict. */
        CountDownLatch judging;
        /** The configuration after the last hand-over during which the file did not change. */
        Map<String, Object> clean;
        /** The configuration after a hand-over during which it did, until a clean one. */
        Map<String, Object> suspect;
    }

    static final long QUIET_MILLIS = 15;
    /**
     * An empty file is taken as one truncated for a rewrite until it has been empty this long
     * (as an empty manifest is): a writer paused between truncating and writing on a busy
     * machine left it empty for more than {@value #QUIET_MILLIS} ms.
     */
    static final long EMPTY_MILLIS = 2000;
    private static final String FILEINSTALL = "org.apache.felix.fileinstall";

    private final ServiceTracker<ArtifactInstaller, ArtifactInstaller> installers;
    private final Logger log;
    private final ScheduledExecutorService waits = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("infinitemap-config-guard"));
    // Guarded by this.
    private final Map<File, ScheduledFuture<?>> pending = new HashMap<>();
    private final Map<String, Verdicts> verdicts = new ConcurrentHashMap<>();
    private final ConfigurationAdmin configurations;

    @Activate
    public ConfigFileGuard(BundleContext context, @Reference(service = LoggerFactory.class) Logger log, @Reference ConfigurationAdmin configurations) {
        this.log = log;
        this.configurations = configurations;
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
        verdicts.remove(uri(file));
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
        if (!before.settled(TimeUnit.MILLISECONDS.toNanos(before.size() == 0 ? EMPTY_MILLIS : QUIET_MILLIS))) {
            handOverWhenQuiet(file, install); // still being written
            return;
        }
        ArtifactInstaller own = fileInstallsOwn(file);
        if (own == null) {
            handOverWhenQuiet(file, install); // FileInstall registers it once Config Admin is there
            return;
        }
        Verdicts verdict = verdicts.computeIfAbsent(uri(file), key -> new Verdicts());
        CountDownLatch judged = new CountDownLatch(1);
        synchronized (verdict) {
            verdict.judging = judged;
        }
        try {
            if (install) {
                own.install(file);
            } else {
                own.update(file);
            }
        } catch (Exception e) {
            log.error("deploy/{} was not applied: {}", file.getName(), e.toString());
        } finally {
            boolean clean = before.equals(StableRead.Stamp.of(file.toPath()));
            judge(file, verdict, clean);
            judged.countDown();
            if (!clean) {
                // Written again while FileInstall read it: give it the complete version too.
                handOverWhenQuiet(file, false);
            }
        }
    }

    /** Records what FileInstall made of the file: a clean read, or one the file changed during. */
    private void judge(File file, Verdicts verdict, boolean clean) {
        Configuration configuration = configurationOf(file);
        Map<String, Object> now = configuration == null ? null : copy(configuration.getProperties());
        boolean redeliver;
        synchronized (verdict) {
            verdict.judging = null;
            if (now == null) {
                return;
            }
            if (!clean) {
                verdict.suspect = now.equals(verdict.clean) ? null : now;
                return;
            }
            // Deliveries of the suspect state got the last clean one: if FileInstall found the file
            // unchanged since (so it updated nothing), the components must still get this state.
            redeliver = now.equals(verdict.suspect);
            verdict.clean = now;
            verdict.suspect = null;
        }
        if (redeliver) {
            try {
                configuration.update(configuration.getProperties());
            } catch (IOException | IllegalStateException e) {
                log.error("deploy/{} could not be applied again: {}", file.getName(), e.toString());
            }
        }
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        Object uri = properties.get(FILENAME);
        Verdicts verdict = uri == null ? null : verdicts.get(uri.toString());
        if (verdict == null) {
            return; // not from deploy/, or not yet handed over
        }
        CountDownLatch judging;
        synchronized (verdict) {
            judging = verdict.judging;
        }
        try {
            // A stat after FileInstall's read: milliseconds. The bound only guards against a stuck file system.
            if (judging != null && !judging.await(2, TimeUnit.SECONDS)) {
                log.warn("A configuration from {} is delivered before it could be checked for a concurrent write.", uri);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (verdict) {
            if (verdict.suspect != null && verdict.clean != null && verdict.suspect.equals(copy(properties))) {
                for (String key : Collections.list(properties.keys())) {
                    properties.remove(key);
                }
                verdict.clean.forEach(properties::put);
            }
        }
    }

    private Configuration configurationOf(File file) {
        try {
            Configuration[] found = configurations.listConfigurations("(" + FILENAME + "=" + escape(uri(file)) + ")");
            return found == null || found.length == 0 ? null : found[0];
        } catch (IOException | InvalidSyntaxException e) {
            return null;
        }
    }

    private static Map<String, Object> copy(Dictionary<String, ?> properties) {
        Map<String, Object> copy = new HashMap<>();
        if (properties != null) {
            for (String key : Collections.list(properties.keys())) {
                Object value = properties.get(key);
                // Arrays compare by content, as a list.
                copy.put(key, value != null && value.getClass().isArray() ? arrayAsList(value) : value);
            }
        }
        return copy;
    }

    private static List<Object> arrayAsList(Object array) {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < Array.getLength(array); i++) {
            list.add(Array.get(array, i));
        }
        return list;
    }

    /** @return the file's URI as FileInstall writes it into the configurations it makes */
    private static String uri(File file) {
        return file.getAbsoluteFile().toURI().toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
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
