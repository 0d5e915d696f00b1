package dev.infinitemap.webconsole;

import java.util.Collection;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

import dev.infinitemap.api.event.MapEvents;

/**
 * Keeps the Web Console's Events page from holding on to the map's deltas. Felix's event plugin
 * keeps its last 250 events with their properties, and a delta event carries every cell of its
 * delta: 100 edits of a 10,000-tile manifest kept a million tiles (about 190 MB) after the file
 * was gone. Service hooks hide the plugin's event handler from Event Admin, and a stand-in,
 * registered for the same topics, passes every event on to it, a delta event with a summary of
 * the delta in place of its cells. The page shows the same events; what it holds is small.
 */
@Component(service = {})
public class ConsoleEventsGuard {

    static final String PLUGIN = "org.apache.felix.webconsole.plugins.event";
    static final String EVENT_ADMIN = "org.apache.felix.eventadmin";

    private final BundleContext context;
    private final Logger log;
    private final ServiceRegistration<?> hooks;
    private final ServiceTracker<EventHandler, ServiceRegistration<EventHandler>> handlers;

    @Activate
    public ConsoleEventsGuard(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.log = log;
        Hooks hiding = new Hooks();
        this.hooks = context.registerService(new String[] { FindHook.class.getName(), EventListenerHook.class.getName() }, hiding, null);
        this.handlers = new ServiceTracker<>(context, EventHandler.class, new StandIns());
        handlers.open();
        restartPlugin(); // its handler may have reached Event Admin before the hooks were there
    }

    @Deactivate
    void deactivate() {
        hooks.unregister();
        handlers.close();
        restartPlugin(); // so that Event Admin sees its own handler again
    }

    private void restartPlugin() {
        for (Bundle bundle : context.getBundles()) {
            if (PLUGIN.equals(bundle.getSymbolicName()) && bundle.getState() == Bundle.ACTIVE) {
                try {
                    bundle.stop(Bundle.STOP_TRANSIENT);
                    bundle.start(Bundle.START_TRANSIENT);
                } catch (BundleException | IllegalStateException e) {
                    log.warn("Could not restart {} to keep its Events page from holding the map's deltas: {}", PLUGIN, e.toString());
                }
            }
        }
    }

    static boolean ofPlugin(ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        return bundle != null && PLUGIN.equals(bundle.getSymbolicName())
                && reference.getProperty(EventConstants.EVENT_TOPIC) != null;
    }

    static boolean isEventAdmin(BundleContext context) {
        return context != null && EVENT_ADMIN.equals(context.getBundle().getSymbolicName());
    }

    /** @return the event as the page should keep it: a delta event without its cells */
    static Event summarised(Event event) {
        if (!MapEvents.DELTA_TOPIC.equals(event.getTopic())) {
            return event;
        }
        Map<String, Object> properties = new HashMap<>();
        for (String name : event.getPropertyNames()) {
            Object value = event.getProperty(name);
            properties.put(name, MapEvents.DELTA.equals(name) ? String.valueOf(value) : value);
        }
        return new Event(event.getTopic(), properties);
    }

    /** Hides the plugin's event handlers from Event Admin, and from it only. */
    private static final class Hooks implements FindHook, EventListenerHook {
        @Override
        public void find(BundleContext finder, String name, String filter, boolean allServices, Collection<ServiceReference<?>> references) {
            if (isEventAdmin(finder)) {
                references.removeIf(ConsoleEventsGuard::ofPlugin);
            }
        }

        @Override
        public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
            if (ofPlugin(event.getServiceReference())) {
                listeners.keySet().removeIf(ConsoleEventsGuard::isEventAdmin);
            }
        }
    }

    /** For each handler of the plugin, a stand-in for the same topics that passes events on summarised. */
    private final class StandIns implements ServiceTrackerCustomizer<EventHandler, ServiceRegistration<EventHandler>> {
        @Override
        public ServiceRegistration<EventHandler> addingService(ServiceReference<EventHandler> reference) {
            if (!ofPlugin(reference)) {
                return null;
            }
            EventHandler target = context.getService(reference);
            if (target == null) {
                return null;
            }
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put(EventConstants.EVENT_TOPIC, reference.getProperty(EventConstants.EVENT_TOPIC));
            Object filter = reference.getProperty(EventConstants.EVENT_FILTER);
            if (filter != null) {
                properties.put(EventConstants.EVENT_FILTER, filter);
            }
            EventHandler standIn = event -> target.handleEvent(summarised(event));
            return context.registerService(EventHandler.class, standIn, properties);
        }

        @Override
        public void modifiedService(ServiceReference<EventHandler> reference, ServiceRegistration<EventHandler> standIn) {
            // the plugin registers its handler once
        }

        @Override
        public void removedService(ServiceReference<EventHandler> reference, ServiceRegistration<EventHandler> standIn) {
            try {
                standIn.unregister();
            } catch (IllegalStateException e) {
                // already gone with this bundle
            }
            context.ungetService(reference);
        }
    }
}
