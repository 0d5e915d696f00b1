package dev.infinitemap.daemon.deploy;

import java.io.File;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.infinitemap.api.compositor.CompositorComponent;
import dev.infinitemap.api.compositor.CompositorInfo;
import dev.infinitemap.daemon.delta.DaemonThreads;
import dev.infinitemap.daemon.registry.CompositorStates;

/**
 * Says clearly why a jar in {@code deploy/} is not installed.
 * <p>
 * FileInstall skips a jar that is not a zip or has no OSGi manifest without a word and retries
 * it on every scan. This installer claims exactly those jars (FileInstall asks registered
 * installers before its own bundle installer), logs one line naming the file and the reason,
 * and gives the file back as soon as it becomes a real bundle.
 * <p>
 * A bundle's jar replaced by such a file is a case of its own: FileInstall 3.7.4 uninstalls the
 * bundle once its own installer can no longer read the file, and does not offer the file to
 * anyone again until it changes. When the file is still unusable {@value #SETTLE_MILLIS} ms
 * later (not a copy in progress), this says so, and lists the bundle, as a failed compositor
 * when it was one, with the file and the reason, until the file is a bundle again or is deleted.
 */
@Component
public class UnusableJarReporter implements ArtifactInstaller, SynchronousBundleListener {

    /** A bundle uninstalled while its jar was still in place, as FileInstall does when the jar became unreadable. */
    private record Uninstalled(File file, String symbolicName, String version, long id, boolean compositor) {
    }

    /** A jar changed this recently may still be being copied; judge it when it is still. */
    static final long SETTLE_MILLIS = 2000;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference
    private CompositorStates states;

    private final BundleContext context;
    private final Map<String, Uninstalled> uninstalled = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("infinitemap-jar-check"));

    @Activate
    public UnusableJarReporter(BundleContext context) {
        this.context = context;
        context.addBundleListener(this);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
        checks.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        String location = bundle.getLocation();
        if (event.getType() == BundleEvent.UNINSTALLED && location.startsWith("file:")) {
            File file = new File(URI.create(location));
            if (file.isFile() && JarCheck.problem(file.toPath()).isPresent()) {
                // An uninstalled bundle has no revision left to ask, but keeps its headers.
                String capabilities = bundle.getHeaders("").get(Constants.PROVIDE_CAPABILITY);
                boolean compositor = capabilities != null && capabilities.contains(CompositorComponent.NAMESPACE);
                uninstalled.put(location, new Uninstalled(file, bundle.getSymbolicName(), bundle.getVersion().toString(), bundle.getBundleId(), compositor));
                schedule(location, SETTLE_MILLIS, false);
            }
        } else if (event.getType() == BundleEvent.INSTALLED) {
            forget(location);
        }
    }

    private void schedule(String location, long delayMillis, boolean reported) {
        try {
            checks.schedule(() -> check(location, reported), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // deactivated
        }
    }

    // Until the file is deleted or a bundle again, the entry says why the bundle is gone.
    private void check(String location, boolean reported) {
        Uninstalled lost = uninstalled.get(location);
        if (lost == null) {
            return;
        }
        Optional<String> problem = lost.file().isFile() ? JarCheck.problem(lost.file().toPath()) : Optional.empty();
        if (problem.isEmpty()) {
            forget(location); // deleted, or a bundle again that FileInstall installs
            return;
        }
        if (!reported) {
            String name = lost.file().getName();
            log.error("deploy/{} was not installed: {}. Bundle {} {} that it held before was uninstalled{}; put a valid jar in its place to install it again.",
                    name, problem.get(), lost.symbolicName(), lost.version(), lost.compositor() ? " and its tiles left the map" : "");
            if (lost.compositor()) {
                String reason = "deploy/" + name + " was replaced by a file that cannot be installed (" + problem.get() + "), so version "
                        + lost.version() + " was uninstalled and its tiles left the map; put a valid jar in its place to install it again";
                states.put(key(lost.file()), CompositorInfo.ofBundle(lost.symbolicName(), new CompositorInfo.BundleRef(lost.symbolicName(), lost.version(), lost.id()))
                        .with(CompositorInfo.State.FAILED, Optional.of(reason)));
            }
        }
        schedule(location, 1000, true);
    }

    private void forget(String location) {
        Uninstalled lost = uninstalled.remove(location);
        if (lost != null) {
            states.remove(key(lost.file()));
        }
    }

    @Override
    public boolean canHandle(File file) {
        if (!file.getName().endsWith(".jar") || !file.isFile()) {
            return false;
        }
        boolean settled = System.currentTimeMillis() - file.lastModified() >= SETTLE_MILLIS;
        return settled && JarCheck.problem(file.toPath()).isPresent();
    }

    @Override
    public void install(File file) {
        report(file);
    }

    @Override
    public void update(File file) {
        report(file);
    }

    @Override
    public void uninstall(File file) {
        if (file.exists()) {
            // The file was replaced by a real bundle. FileInstall drops an artifact whose
            // installer lets go of it without offering it to the next one, and would not look
            // at the file again until it changes: touch it so the next scan installs it.
            log.info("deploy/{} is now a valid bundle; installing it.", file.getName());
            file.setLastModified(System.currentTimeMillis());
        }
    }

    private static String key(File file) {
        return "deploy/" + file.getName();
    }

    private void report(File file) {
        Optional<String> problem = JarCheck.problem(file.toPath());
        if (problem.isEmpty()) {
            return;
        }
        log.error("deploy/{} was not installed: {}.", file.getName(), problem.get());
    }
}
