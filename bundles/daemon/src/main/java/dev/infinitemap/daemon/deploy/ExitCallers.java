package dev.infinitemap.daemon.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.wiring.BundleRevision;
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
 * Bundles held back because they called {@code System.exit}: the launcher records such a bundle
 * in {@value #FILE} as the runtime ends (one property per bundle: its location, then
 * {@code "<epoch millis> <class>"}) and stops it persistently at the next start, saying so in
 * the log. This lists a
 * held-back compositor bundle as failed with the reason, and lets the bundle go as soon as its jar
 * changes: a replaced jar (FileInstall updates the bundle) is started again, a removed one drops
 * its line. Starting the bundle by hand (console, shell) drops it too.
 */
// Not a service (a BundleListener service would be delayed and never run): activated at once.
@Component(service = {})
public class ExitCallers implements BundleListener {

    static final String FILE = "data/exit-calls.properties";

    private final BundleContext context;
    private final CompositorStates states;
    private final Logger log;
    private final Optional<Path> file;
    // By location: the file's lines, read once (the launcher writes it only as the runtime ends).
    private final Map<String, String> calls;
    private final ExecutorService starter = Executors.newSingleThreadExecutor(DaemonThreads.named("infinitemap-exit-callers"));

    @Activate
    public ExitCallers(BundleContext context, @Reference CompositorStates states, @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.states = states;
        this.log = log;
        this.file = Optional.ofNullable(context.getProperty("infinitemap.home")).map(home -> Path.of(home).resolve(FILE));
        this.calls = read();
        context.addBundleListener(this);
        for (String location : List.copyOf(calls.keySet())) {
            Bundle bundle = context.getBundle(location);
            long calledAt = calledAt(location);
            if (bundle == null || bundle.getState() == Bundle.UNINSTALLED || bundle.getState() == Bundle.ACTIVE) {
                forget(location);
            } else if (bundle.getLastModified() > calledAt) {
                // its jar was replaced before this component saw the update
                release(bundle);
            } else {
                report(bundle);
            }
        }
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
        starter.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        switch (event.getType()) {
            case BundleEvent.UPDATED -> {
                if (calledAt(bundle.getLocation()) >= 0) {
                    release(bundle);
                }
            }
            case BundleEvent.UNINSTALLED, BundleEvent.STARTED -> {
                if (calledAt(bundle.getLocation()) >= 0) {
                    states.remove(key(bundle));
                    forget(bundle.getLocation());
                }
            }
            default -> {
                // nothing else lets a held-back bundle go
            }
        }
    }

    private void report(Bundle bundle) {
        String location = bundle.getLocation();
        String reason = "its bundle called System.exit (from " + className(location) + ", at " + Instant.ofEpochMilli(calledAt(location))
                + "), which stopped the runtime, so it is not started; replace or remove its jar to start it again";
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision != null && !revision.getDeclaredCapabilities(CompositorComponent.NAMESPACE).isEmpty()) {
            CompositorInfo.BundleRef ref = new CompositorInfo.BundleRef(bundle.getSymbolicName(), bundle.getVersion().toString(), bundle.getBundleId());
            states.put(key(bundle), CompositorInfo.ofBundle(bundle.getSymbolicName(), ref).with(CompositorInfo.State.FAILED, Optional.of(reason)));
        }
    }

    // The jar changed: the bundle may run again (and is recorded again if it calls exit again).
    private void release(Bundle bundle) {
        states.remove(key(bundle));
        forget(bundle.getLocation());
        try {
            starter.execute(() -> {
                try {
                    bundle.start();
                    log.info("Bundle {} {} ({}) has a new jar: started it again.", bundle.getSymbolicName(), bundle.getVersion(), shown(bundle));
                } catch (BundleException | IllegalStateException e) {
                    log.error("Bundle {} ({}) has a new jar but does not start: {}", bundle.getSymbolicName(), shown(bundle), e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            // the daemon is stopping; the framework starts the bundle at the next start
        }
    }

    private static String key(Bundle bundle) {
        return CompositorStates.unresolvedKey(bundle.getBundleId()) + ":exit";
    }

    private long calledAt(String location) {
        String value = calls.get(location);
        try {
            return value == null ? -1 : Long.parseLong(value.split(" ", 2)[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String className(String location) {
        String[] value = calls.getOrDefault(location, "").split(" ", 2);
        return value.length > 1 ? value[1] : "an unknown class";
    }

    private Map<String, String> read() {
        Map<String, String> read = new ConcurrentHashMap<>();
        if (file.isPresent() && Files.isRegularFile(file.get())) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                log.warn("Cannot read {}: {}", file.get(), e.getMessage());
            }
            properties.stringPropertyNames().forEach(location -> read.put(location, properties.getProperty(location)));
        }
        return read;
    }

    // deploy/x.jar rather than its file: URI
    private static String shown(Bundle bundle) {
        try {
            return "deploy/" + Path.of(URI.create(bundle.getLocation().replaceFirst("#.*$", ""))).getFileName();
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            return bundle.getLocation();
        }
    }

    private synchronized void forget(String location) {
        if (calls.remove(location) == null || file.isEmpty()) {
            return;
        }
        Properties properties = new Properties();
        properties.putAll(calls);
        try {
            Path staging = file.get().resolveSibling(file.get().getFileName() + ".part");
            try (Writer writer = Files.newBufferedWriter(staging, StandardCharsets.UTF_8)) {
                properties.store(writer, "Bundles that called System.exit; they are not started until their jar changes");
            }
            Files.move(staging, file.get(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("Cannot update {}: {}", file.get(), e.getMessage());
        }
    }
}
