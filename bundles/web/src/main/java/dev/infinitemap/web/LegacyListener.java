package dev.infinitemap.web;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The listener for Geometry OS clients, on when the launcher sets {@code infinitemap.legacy.port}
 * (from {@code INFINITEMAP_LEGACY_PORT}): a second Felix HTTP server made through Felix HTTP's own
 * factory configuration, on the main listener's host, whose whiteboard runtime carries
 * {@code id=infinitemap-legacy} so that the legacy servlets target it alone. Without the setting,
 * a listener left from an earlier start is removed.
 */
@Component(immediate = true)
public class LegacyListener {

    /** The id of the legacy listener's whiteboard runtime. */
    public static final String RUNTIME_ID = "infinitemap-legacy";

    /** The whiteboard target of the servlets that serve the legacy listener only. */
    public static final String TARGET = "osgi.http.whiteboard.target=(id=" + RUNTIME_ID + ")";

    /** Set by the launcher: the legacy listener's port. */
    public static final String PORT_PROPERTY = "infinitemap.legacy.port";

    static final String FELIX_HTTP_FACTORY = "org.apache.felix.http";

    @Activate
    public LegacyListener(@Reference ConfigurationAdmin configurations, @Reference(service = LoggerFactory.class) Logger log, BundleContext context)
            throws IOException {
        String port = context.getProperty(PORT_PROPERTY);
        Configuration configuration = configurations.getFactoryConfiguration(FELIX_HTTP_FACTORY, RUNTIME_ID, "?");
        if (port == null) {
            if (configuration.getProperties() != null) {
                configuration.delete();
            }
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("org.osgi.service.http.port", port);
        String host = context.getProperty("org.apache.felix.http.host");
        if (host != null) {
            properties.put("org.apache.felix.http.host", host);
        }
        properties.put("org.apache.felix.http.name", "InfiniteMap for Geometry OS clients");
        properties.put("org.apache.felix.http.runtime.init.id", RUNTIME_ID);
        // Config Admin tells the factory again only when something changed: a restart with the same port keeps the server.
        configuration.updateIfDifferent(properties);
        log.info("Geometry OS clients: socket ws://{}:{}/, manifest /builder/map/manifest.json, bricks /builder/queue/NAME.",
                host == null ? "0.0.0.0" : host, port);
    }
}
