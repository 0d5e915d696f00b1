package dev.infinitemap.daemon.deploy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
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
import org.osgi.framework.BundleException;
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
import dev.infinitemap.api.compositor.UnusableFile;
import dev.infinitemap.daemon.delta.DaemonThreads;
import dev.infinitemap.daemon.registry.CompositorStates;

/**
 * Says clearly why a jar in {@code deploy/} is not installed, and keeps a compositor running
 * when its jar is overwritten with one that cannot be installed.
 * <p>
 * FileInstall skips a jar that is not a zip or has no OSGi manifest without a word and retries
 * it on every scan. This installer claims exactly those jars (FileInstall asks registered
 * installers before its own bundle installer), logs one line naming the file and the reason,
 * and gives the file back as soon as it becomes a real bundle.
 * <p>
 * A bundle's jar replaced by such a file is a case of its own: FileInstall 3.7.4 uninstalls the
 * bundle once its own installer can no longer read the file. This puts the bundle back at once
 * from the copy {@link LastGoodJars} took when it was installed, and its entries in the registry
 * say which file was not installed and why, until the file is a bundle again (FileInstall then
 * updates it, or installs the new version, and this removes the old one) or is deleted. The
 * error is logged once the file has been unusable for {@value #SETTLE_MILLIS} ms (not a copy in
 * progress). Without a copy, the bundle is listed as a failed compositor with the same reason.
 */
@Component
public class UnusableJarReporter implements ArtifactInstaller, SynchronousBundleListener {

    /** A bundle uninstalled while its jar was still in place, as FileInstall does when the jar became unreadable. */
    private record Uninstalled(Path file, String symbolicName, String version, long id, boolean compositor) {
    }

    /** A jar changed this recently may still be being copied; judge it when it is still. */
    static final long SETTLE_MILLIS = 2000;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference
    private CompositorStates states;

    private final BundleContext context;
    private final LastGoodJars copies;
    private final Optional<Path> watched;
    // By the jar's normal location (without the restored mark).
    private final Map<String, Uninstalled> uninstalled = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("infinitemap-jar-check"));

    @Activate
    public UnusableJarReporter(BundleContext context) {
        this.context = context;
        this.copies = new LastGoodJars(context.getDataFile("last-good").toPath());
        String dir = context.getProperty("felix.fileinstall.dir");
        this.watched = dir == null ? Optional.empty() : Optional.of(Path.of(dir).toAbsolutePath().normalize());
        context.addBundleListener(this);
        // Bundles installed before this started (every bundle of a warm start): copy those not copied since their last change, off the start path.
        execute(() -> {
            for (Bundle bundle : context.getBundles()) {
                Optional<Path> jar = fromDeploy(bundle);
                if (jar.isPresent() && !LastGoodJars.restored(bundle) && !copies.upToDate(jar.get())) {
                    copies.keep(bundle);
                }
            }
        });
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
        checks.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        Optional<Path> jar = fromDeploy(bundle);
        if (jar.isEmpty()) {
            return;
        }
        String location = LastGoodJars.location(jar.get());
        boolean restored = LastGoodJars.restored(bundle);
        Uninstalled lost = uninstalled.get(location);
        switch (event.getType()) {
            case BundleEvent.INSTALLED, BundleEvent.UPDATED -> {
                if (restored && event.getType() == BundleEvent.INSTALLED) {
                    return; // put back by restore() below; FileInstall installs only at the file's own location
                }
                // Off FileInstall's thread (it installs the next file meanwhile); a copy is kept only of this very bundle.
                execute(() -> copies.keep(bundle));
                if (lost != null) {
                    // A good jar is back: FileInstall updated the copy put back, or installed a new version beside it.
                    forget(location, restored);
                }
            }
            case BundleEvent.UNINSTALLED -> {
                if (lost != null && lost.id() == bundle.getBundleId()) {
                    forget(location, true); // the one put back, uninstalled by someone else
                    return;
                }
                Optional<String> problem = Files.isRegularFile(jar.get()) ? JarCheck.problem(jar.get()) : Optional.empty();
                if (problem.isEmpty()) {
                    if (!restored) {
                        copies.forget(jar.get()); // deleted, or a different bundle comes next
                    }
                    return; // a restored one leaves when its file is deleted or a new version is in: the copy is that one's
                }
                // An uninstalled bundle has no revision left to ask, but keeps its headers.
                String capabilities = bundle.getHeaders("").get(Constants.PROVIDE_CAPABILITY);
                boolean compositor = capabilities != null && capabilities.contains(CompositorComponent.NAMESPACE);
                Uninstalled now = new Uninstalled(jar.get(), bundle.getSymbolicName(), bundle.getVersion().toString(), bundle.getBundleId(), compositor);
                uninstalled.put(location, now);
                // Not inside FileInstall's uninstall: put it back on our own thread, at once.
                execute(() -> restore(location, now));
            }
            default -> {
                // starting and stopping change no file
            }
        }
    }

    /** @return the jar in deploy/ a bundle was installed from */
    private Optional<Path> fromDeploy(Bundle bundle) {
        return LastGoodJars.file(bundle.getLocation()).filter(jar -> watched.filter(dir -> dir.equals(jar.getParent())).isPresent());
    }

    private void restore(String location, Uninstalled lost) {
        Optional<InputStream> copy = copies.open(lost.file());
        if (copy.isPresent()) {
            try (InputStream in = copy.get()) {
                Bundle back = context.installBundle(location + LastGoodJars.RESTORED, in);
                uninstalled.put(location, new Uninstalled(lost.file(), lost.symbolicName(), lost.version(), back.getBundleId(), lost.compositor()));
                back.start();
                log.info("deploy/{} cannot be installed, so {} {} that it held keeps running from the copy taken when it was installed.",
                        lost.file().getFileName(), lost.symbolicName(), lost.version());
            } catch (IOException | BundleException | IllegalStateException e) {
                log.warn("deploy/{}: {} {} could not be put back from its copy: {}", lost.file().getFileName(), lost.symbolicName(), lost.version(), e.getMessage());
            }
        }
        schedule(location, SETTLE_MILLIS, false);
    }

    private void execute(Runnable task) {
        schedule(task, 0);
    }

    private void schedule(String location, long delayMillis, boolean reported) {
        schedule(() -> check(location, reported), delayMillis);
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            checks.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // deactivated
        }
    }

    // Until the file is deleted or a bundle again, the entry says why the bundle is gone or old.
    private void check(String location, boolean reported) {
        Uninstalled lost = uninstalled.get(location);
        if (lost == null) {
            return;
        }
        Optional<String> problem = Files.isRegularFile(lost.file()) ? JarCheck.problem(lost.file()) : Optional.empty();
        if (problem.isEmpty()) {
            if (!Files.exists(lost.file())) {
                forget(location, false); // deleted: the copy put back goes too
            }
            // a bundle again: FileInstall installs it, and the events above let the old one go
            schedule(location, 1000, reported);
            return;
        }
        Bundle back = context.getBundle(lost.id());
        boolean running = back != null && LastGoodJars.restored(back);
        String name = lost.file().getFileName().toString();
        if (!reported) {
            log.error("deploy/{} was not installed: {}. {}", name, problem.get(), running
                    ? "Bundle " + lost.symbolicName() + " " + lost.version() + " that it held before keeps running; put a valid jar in its place to update it."
                    : "Bundle " + lost.symbolicName() + " " + lost.version() + " that it held before was uninstalled"
                            + (lost.compositor() ? " and its tiles left the map" : "") + "; put a valid jar in its place to install it again.");
        }
        String reason = "deploy/" + name + " was replaced by a file that cannot be installed (" + problem.get() + "), so "
                + (running ? "version " + lost.version() + " keeps running; put a valid jar in its place to update it"
                        : "version " + lost.version() + " was uninstalled and its tiles left the map; put a valid jar in its place to install it again");
        if (running) {
            states.noteBundle(lost.id(), reason);
        } else if (lost.compositor()) {
            states.put(key(lost.file()), CompositorInfo.ofBundle(lost.symbolicName(), new CompositorInfo.BundleRef(lost.symbolicName(), lost.version(), lost.id()))
                    .with(CompositorInfo.State.FAILED, Optional.of(reason)));
        }
        schedule(location, 1000, true);
    }

    /**
     * The case is over. The bundle put back from its copy goes, unless FileInstall updated that
     * very bundle with the good jar ({@code keepRestored}).
     */
    private void forget(String location, boolean keepRestored) {
        Uninstalled gone = uninstalled.remove(location);
        if (gone == null) {
            return;
        }
        states.remove(key(gone.file()));
        states.noteBundle(gone.id(), null);
        if (!Files.exists(gone.file())) {
            copies.forget(gone.file());
        }
        Bundle back = context.getBundle(gone.id());
        if (!keepRestored && back != null && LastGoodJars.restored(back)) {
            execute(() -> {
                try {
                    back.uninstall();
                } catch (BundleException | IllegalStateException e) {
                    // already gone
                }
            });
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
        states.removeUnusable(key(file.toPath()));
        if (file.exists()) {
            // The file was replaced by a real bundle. FileInstall drops an artifact whose
            // installer lets go of it without offering it to the next one, and would not look
            // at the file again until it changes: touch it so the next scan installs it.
            log.info("deploy/{} is now a valid bundle; installing it.", file.getName());
            file.setLastModified(System.currentTimeMillis());
        }
    }

    private static String key(Path file) {
        return "deploy/" + file.getFileName();
    }

    private void report(File file) {
        Optional<String> problem = JarCheck.problem(file.toPath());
        if (problem.isEmpty()) {
            return;
        }
        Path jar = file.toPath().toAbsolutePath().normalize();
        String location = LastGoodJars.location(jar);
        if (uninstalled.containsKey(location)) {
            return; // check() says it, with the bundle it held
        }
        Optional<Bundle> restored = Arrays.stream(context.getBundles())
                .filter(bundle -> bundle.getLocation().equals(location + LastGoodJars.RESTORED)).findFirst();
        if (restored.isPresent()) {
            // Put back before a restart: it is still running, and still the case.
            Bundle back = restored.get();
            uninstalled.put(location, new Uninstalled(jar, back.getSymbolicName(), back.getVersion().toString(), back.getBundleId(), false));
            check(location, false);
            return;
        }
        log.error("deploy/{} was not installed: {}.", file.getName(), problem.get());
        states.putUnusable(new UnusableFile(key(jar), problem.get(), Instant.now()));
    }
}
