package dev.infinitemap.daemon.compositor;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
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

import dev.infinitemap.api.TileRules;
import dev.infinitemap.api.compositor.Compositor;
import dev.infinitemap.api.compositor.CompositorComponent;
import dev.infinitemap.api.compositor.CompositorInfo;
import dev.infinitemap.daemon.delta.DaemonThreads;
import dev.infinitemap.daemon.delta.DeltaPublisher;
import dev.infinitemap.daemon.registry.CompositorLayer;
import dev.infinitemap.daemon.registry.CompositorStates;

/**
 * The whiteboard of compositor services: gives each its own layer and canvas, renders it on a
 * thread of its own with a time limit once its name is its own, and removes exactly its tiles
 * when the service goes (its bundle stopped, updated or uninstalled). A compositor that throws
 * or hangs is logged and harms no other.
 */
@Component(configurationPid = CompositorTracker.PID)
@Designate(ocd = CompositorTracker.Config.class)
public class CompositorTracker {

    static final String PID = "dev.infinitemap.daemon.compositors";
    static final String NAME = CompositorComponent.PREFIX_ + "name";
    static final String LAYER = CompositorComponent.PREFIX_ + "layer";
    /** How long an interrupted render may take to end before its thread counts as held. */
    static final long STUCK_GRACE_MILLIS = 500;

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
    // Compositor names whose render ignored the interrupt, until that render ends.
    private final Map<String, CompletableFuture<Void>> stuck = new ConcurrentHashMap<>();

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
        Optional<String> unreadable = TileRules.characterProblem("its compositor name", compositorName);
        if (unreadable.isPresent()) {
            log.error("A compositor service of {} is ignored: {}.", owner, unreadable.get());
            return;
        }
        int layerNumber = layer(reference.getProperty(LAYER));
        Bundle bundle = reference.getBundle();
        long serviceId = (Long) reference.getProperty(Constants.SERVICE_ID);
        // Granted the name later (its holder left): draw on the canvas, unless the service is gone by then.
        CompositorLayer layer = CompositorLayer.ofService(states, publisher, bundle, serviceId, compositorName, layerNumber,
                () -> Optional.ofNullable(canvases.get(reference)).ifPresent(canvas -> render(compositor, canvas, owner)));
        CompositorCanvas canvas = new CompositorCanvas(layer, layerNumber);
        canvases.put(reference, canvas);
        states.removeStopped(bundle.getBundleId(), compositorName);
        states.put(CompositorStates.serviceKey(bundle.getBundleId(), serviceId), layer.info());
        if (layer.claim()) {
            render(compositor, canvas, owner);
        }
    }

    // On a thread of its own, with a time limit: a compositor that hangs or throws harms no other.
    // A render that ignores the interrupt keeps its thread; such a compositor name gets no second
    // thread while the first runs (it renders once that one ends), so a bundle that hangs at every
    // install does not leak a thread per install.
    private void render(Compositor compositor, CompositorCanvas canvas, String owner) {
        CompositorLayer layer = canvas.mapLayer();
        String name = layer.name();
        CompletableFuture<Void> previous = stuck.get(name);
        if (previous != null && previous.isDone()) {
            stuck.remove(name, previous);
            previous = null;
        }
        if (previous != null) {
            layer.failed("its previous render ignored the interrupt and still runs (1 render thread held); it renders when that one ends");
            previous.thenRun(() -> {
                if (canvases.containsValue(canvas)) {
                    render(compositor, canvas, owner);
                }
            });
            return;
        }
        CompletableFuture<Void> finished = new CompletableFuture<>();
        Future<?> render;
        try {
            render = renderers.submit(() -> {
                Thread.currentThread().setName("infinitemap-render-" + name);
                try {
                    compositor.render(canvas);
                    log.info("Compositor {} of {} drew {} tiles on layer {}.", name, owner, layer.tiles().size(), canvas.layer());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception | LinkageError e) {
                    log.error("Compositor {} of {} failed to render: {}", name, owner, e.toString());
                    if (canvases.containsValue(canvas)) { // a render that outlived its service leaves no entry behind
                        layer.failed("render failed: " + e);
                    }
                } finally {
                    // No longer held before those waiting for it hear so, so they get a thread.
                    if (stuck.remove(name, finished)) {
                        log.info("The render thread compositor {} held since it ignored the interrupt has ended.", name);
                    }
                    finished.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            return; // the tracker is going away
        }
        long limit = renderTimeoutMillis;
        watchdog.schedule(() -> {
            if (!render.isDone()) {
                render.cancel(true);
                log.error("Compositor {} of {} did not finish rendering within {} ms; it was interrupted. Other compositors are not affected.",
                        name, owner, limit);
                layer.failed("did not finish rendering within " + limit + " ms");
                watchdog.schedule(() -> holdIfStuck(name, owner, limit, finished, canvas), STUCK_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
        }, limit, TimeUnit.MILLISECONDS);
    }

    // A render that honours the interrupt has ended by now; one that has not keeps its thread.
    private void holdIfStuck(String name, String owner, long limit, CompletableFuture<Void> finished, CompositorCanvas canvas) {
        if (finished.isDone()) {
            return;
        }
        stuck.put(name, finished);
        if (finished.isDone()) {
            stuck.remove(name, finished); // it ended just now
            return;
        }
        log.error("Compositor {} of {} ignored the interrupt: its render thread still runs ({} such thread(s) in the runtime). "
                + "The compositor gets no other thread until it ends.", name, owner, stuck.size());
        if (canvases.containsValue(canvas)) {
            canvas.mapLayer().failed("did not finish rendering within " + limit + " ms and ignored the interrupt: its render thread still runs "
                    + "(1 thread held; it gets no other until that one ends)");
        }
    }

    void removeCompositor(ServiceReference<Compositor> reference) {
        CompositorCanvas canvas = canvases.remove(reference);
        if (canvas != null) {
            CompositorInfo last = canvas.mapLayer().info();
            canvas.close();
            Bundle bundle = reference.getBundle();
            if (bundle != null) {
                // The service goes when its bundle stops; the bundle listener forgets it when it is uninstalled.
                states.put(CompositorStates.serviceKey(bundle.getBundleId(), (Long) reference.getProperty(Constants.SERVICE_ID)),
                        last.drawn(0, Instant.now()).with(CompositorInfo.State.STOPPED, last.lastError()));
            }
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
        return name + " (service " + reference.getProperty(Constants.SERVICE_ID) + ")";
    }
}
