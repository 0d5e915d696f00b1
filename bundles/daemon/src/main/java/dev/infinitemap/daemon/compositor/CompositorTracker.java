package dev.infinitemap.daemon.compositor;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.infinitemap.api.compositor.Compositor;
import dev.infinitemap.api.compositor.CompositorComponent;
import dev.infinitemap.api.compositor.CompositorInfo;
import dev.infinitemap.api.event.MapEvents;
import dev.infinitemap.daemon.delta.DaemonThreads;
import dev.infinitemap.daemon.delta.DeltaPublisher;
import dev.infinitemap.daemon.registry.CompositorStates;

/**
 * The whiteboard of compositor services: gives each its own canvas, renders it on a thread
 * of its own with a time limit, and removes exactly its tiles when the service goes (its
 * bundle stopped, updated or uninstalled). A compositor that throws or hangs is logged and
 * harms no other.
 */
@Component(configurationPid = CompositorTracker.PID)
@Designate(ocd = CompositorTracker.Config.class)
public class CompositorTracker {

    static final String PID = "dev.infinitemap.daemon.compositors";
    static final String NAME = CompositorComponent.PREFIX_ + "name";
    static final String LAYER = CompositorComponent.PREFIX_ + "layer";

    @ObjectClassDefinition(name = "InfiniteMap compositors", description = "How the runtime treats compositor services.")
    @interface Config {
        @AttributeDefinition(name = "Render time limit (ms)", description = "A compositor's render call that takes longer is recorded as failed and interrupted.", min = "1")
        long renderTimeoutMillis() default 5000;
    }

    private final DeltaPublisher publisher;
    private final CompositorStates states;
    private final Logger log;
    private final Map<ServiceReference<Compositor>, CompositorCanvas> canvases = new ConcurrentHashMap<>();
    private final ExecutorService renderers = Executors.newCachedThreadPool(DaemonThreads.named("infinitemap-compositor-render"));
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("infinitemap-compositor-watchdog"));
    private volatile long renderTimeoutMillis;

    @Activate
    public CompositorTracker(@Reference DeltaPublisher publisher, @Reference CompositorStates states,
            @Reference(service = LoggerFactory.class) Logger log, Config config) {
        this.publisher = publisher;
        this.states = states;
        this.log = log;
        this.renderTimeoutMillis = config.renderTimeoutMillis();
    }

    @Modified
    void modified(Config config) {
        renderTimeoutMillis = config.renderTimeoutMillis();
    }

    @Deactivate
    void deactivate() {
        canvases.keySet().forEach(this::removeCompositor);
        renderers.shutdownNow();
        watchdog.shutdownNow();
    }

    @Reference(service = Compositor.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCompositor(Compositor compositor, ServiceReference<Compositor> reference) {
        String owner = owner(reference);
        Object name = reference.getProperty(NAME);
        if (!(name instanceof String compositorName) || compositorName.isBlank()) {
            log.error("A compositor service of {} has no name: annotate its component with @CompositorComponent(name = ...). It is ignored.", owner);
            return;
        }
        int layer = layer(reference.getProperty(LAYER));
        Optional<String> taken = publisher.claim(compositorName, owner);
        if (taken.isPresent()) {
            log.error("Compositor {} of {} is ignored: {} already uses that name.", compositorName, owner, taken.get());
            return;
        }
        Bundle bundle = reference.getBundle();
        String key = CompositorStates.bundleKey(bundle.getBundleId(), compositorName);
        states.put(key, new CompositorInfo(compositorName, CompositorInfo.Kind.BUNDLE,
                Optional.of(new CompositorInfo.BundleRef(bundle.getSymbolicName(), bundle.getVersion().toString(), bundle.getBundleId())),
                Optional.empty(), layer, 0, CompositorInfo.State.ACTIVE, Optional.empty(), Optional.empty()));
        CompositorCanvas canvas = new CompositorCanvas(compositorName, layer, publisher,
                tiles -> states.update(key, info -> info.drawn(tiles, Instant.now())));
        canvases.put(reference, canvas);
        publisher.lifecycle(MapEvents.COMPOSITOR_ADDED, compositorName, null);
        Future<?> render = renderers.submit(() -> {
            Thread.currentThread().setName("infinitemap-render-" + compositorName);
            try {
                compositor.render(canvas);
                log.info("Compositor {} of {} drew {} tiles on layer {}.", compositorName, owner, canvas.tileCount(), layer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception | LinkageError e) {
                log.error("Compositor {} of {} failed to render: {}", compositorName, owner, e.toString());
                states.update(key, info -> info.with(CompositorInfo.State.FAILED, Optional.of("render failed: " + e)));
                publisher.lifecycle(MapEvents.COMPOSITOR_FAILED, compositorName, e.toString());
            }
        });
        long limit = renderTimeoutMillis;
        watchdog.schedule(() -> {
            if (!render.isDone()) {
                render.cancel(true);
                log.error("Compositor {} of {} did not finish rendering within {} ms; it was interrupted. Other compositors are not affected.",
                        compositorName, owner, limit);
                publisher.lifecycle(MapEvents.COMPOSITOR_FAILED, compositorName, "did not finish rendering within " + limit + " ms");
                states.update(key, info -> info.with(CompositorInfo.State.FAILED, Optional.of("did not finish rendering within " + limit + " ms")));
            }
        }, limit, TimeUnit.MILLISECONDS);
    }

    void removeCompositor(ServiceReference<Compositor> reference) {
        CompositorCanvas canvas = canvases.remove(reference);
        if (canvas != null) {
            canvas.close();
            publisher.release(canvas.compositor(), owner(reference));
            Bundle bundle = reference.getBundle();
            if (bundle != null) {
                // The service goes when its bundle stops; the bundle listener forgets it when it is uninstalled.
                states.update(CompositorStates.bundleKey(bundle.getBundleId(), canvas.compositor()),
                        info -> info.drawn(0, Instant.now()).with(CompositorInfo.State.STOPPED, info.lastError()));
            }
            publisher.lifecycle(MapEvents.COMPOSITOR_REMOVED, canvas.compositor(), null);
            log.info("Compositor {} of {} left the map with its tiles.", canvas.compositor(), owner(reference));
        }
    }

    private static int layer(Object value) {
        if (value instanceof Number number) {
            return number.intValue();
        }
        try {
            return value == null ? 0 : Integer.parseInt(value.toString().strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // The service id tells two compositor services of one bundle apart.
    private static String owner(ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        String name = bundle == null ? "a stopped bundle" : "bundle " + bundle.getSymbolicName();
        return name + " (service " + reference.getProperty(org.osgi.framework.Constants.SERVICE_ID) + ")";
    }
}
