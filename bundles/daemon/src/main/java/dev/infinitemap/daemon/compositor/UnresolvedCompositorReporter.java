package dev.infinitemap.daemon.compositor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
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
 * Says which compositor bundles cannot resolve and exactly what they miss, every time the
 * set of bundles changes (a retry could then succeed), not only the first time.
 * <p>
 * A compositor bundle declares the {@value CompositorComponent#NAMESPACE} capability in its
 * manifest, which the framework reads before resolving, so it is known as a compositor even
 * when none of its code can load.
 */
// Not a service (a BundleListener service would be delayed and never run): activated at once.
@Component(service = {})
public class UnresolvedCompositorReporter implements BundleListener {

    /** Bundle events come in bursts (a refresh touches many bundles): check once after the burst. */
    static final long QUIET_MILLIS = 100;

    private final BundleContext context;
    private final CompositorStates states;
    private final Logger log;
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("infinitemap-unresolved-check"));
    private ScheduledFuture<?> pending;

    @Activate
    public UnresolvedCompositorReporter(BundleContext context, @Reference CompositorStates states,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.states = states;
        this.log = log;
        context.addBundleListener(this);
        schedule();
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
        checker.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.UNINSTALLED) {
            states.removeBundle(event.getBundle().getBundleId());
        }
        switch (event.getType()) {
            case BundleEvent.INSTALLED, BundleEvent.UPDATED, BundleEvent.RESOLVED, BundleEvent.UNRESOLVED, BundleEvent.UNINSTALLED -> schedule();
            default -> {
                // starting and stopping change no wiring
            }
        }
    }

    private synchronized void schedule() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = checker.schedule(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                log.error("Checking compositor bundles failed: {}", e.toString(), e);
            }
        }, QUIET_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        Bundle system = context.getBundle(0);
        if (system.getState() != Bundle.ACTIVE) {
            // The framework resolves bundles as it reaches their start level: not its chance yet.
            schedule();
            return;
        }
        FrameworkWiring wiring = system.adapt(FrameworkWiring.class);
        for (Bundle bundle : context.getBundles()) {
            BundleRevision revision = bundle.adapt(BundleRevision.class);
            if (bundle.getState() != Bundle.INSTALLED || revision == null
                    || revision.getDeclaredCapabilities(CompositorComponent.NAMESPACE).isEmpty()) {
                states.remove(CompositorStates.unresolvedKey(bundle.getBundleId()));
                continue;
            }
            // The framework's own chance: a bundle it can resolve now is not reported (a warm start
            // may check just before the start level reaches it).
            if (wiring.resolveBundles(List.of(bundle)) || bundle.getState() != Bundle.INSTALLED) {
                states.remove(CompositorStates.unresolvedKey(bundle.getBundleId()));
                continue;
            }
            List<String> missing = new ArrayList<>();
            for (Requirement requirement : revision.getDeclaredRequirements(null)) {
                if (isMandatory(requirement) && wiring.findProviders(requirement).isEmpty()) {
                    missing.add(requirement.getNamespace() + " " + requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE));
                }
            }
            String reason = missing.isEmpty() ? "it is not resolved yet (a bundle it needs may not be resolved)" : "missing " + String.join(", ", missing);
            log.error("Compositor bundle {} ({}) cannot resolve: {}.", bundle.getSymbolicName(), bundle.getLocation(), reason);
            CompositorInfo.BundleRef ref = new CompositorInfo.BundleRef(bundle.getSymbolicName(), bundle.getVersion().toString(), bundle.getBundleId());
            states.put(CompositorStates.unresolvedKey(bundle.getBundleId()),
                    CompositorInfo.ofBundle(bundle.getSymbolicName(), ref).with(CompositorInfo.State.UNRESOLVED, Optional.of(reason)));
        }
    }

    private static boolean isMandatory(Requirement requirement) {
        String resolution = requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
        String effective = requirement.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
        return !Namespace.RESOLUTION_OPTIONAL.equals(resolution) && !PackageNamespace.RESOLUTION_DYNAMIC.equals(resolution)
                && (effective == null || Namespace.EFFECTIVE_RESOLVE.equals(effective));
    }
}
