package dev.infinitemap.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Which web pages may use the map from another origin: the socket's Origin check and the CORS
 * headers of the JSON and brick resources follow the same {@code allowedOrigins} setting of the
 * feed's configuration, given as an array or as one comma list. A refused origin is logged once,
 * with the setting to change, so a page that stays white says why in the log.
 */
@Component(service = Origins.class, configurationPid = Origins.PID)
public class Origins {

    /** The feed's configuration, which holds {@code allowedOrigins}. */
    public static final String PID = "dev.infinitemap.web.socket";

    /** Origins logged at most; beyond them one line says further refusals go unlogged. */
    static final int LOGGED_MAX = 100;

    private final Logger log;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private volatile List<String> allowed;

    @Activate
    public Origins(@Reference(service = LoggerFactory.class) Logger log, Map<String, Object> properties) {
        this.log = log;
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        allowed = parse(properties.get("allowedOrigins"));
        logged.clear();
    }

    /**
     * @param value an array, a collection or one string, each element a comma list
     * @return the origins, trimmed, in lower case, without empty ones
     */
    static List<String> parse(Object value) {
        List<String> parts = new ArrayList<>();
        if (value instanceof String text) {
            parts.add(text);
        } else if (value instanceof String[] array) {
            parts.addAll(List.of(array));
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(element -> parts.add(String.valueOf(element)));
        }
        List<String> origins = new ArrayList<>();
        for (String part : parts) {
            for (String origin : part.split(",")) {
                String trimmed = origin.strip();
                if (trimmed.endsWith("/")) {
                    trimmed = trimmed.substring(0, trimmed.length() - 1); // an origin has no path
                }
                if (!trimmed.isEmpty()) {
                    origins.add(trimmed.toLowerCase(Locale.ROOT));
                }
            }
        }
        return List.copyOf(origins);
    }

    /**
     * Whether a page from {@code origin} may use what it asks for: pages served by this runtime
     * (the origin's host and port are the request's {@code Host}), the configured origins, or
     * any when {@code *} is configured. A request without an Origin comes from a program or from
     * a page of the same origin, not from a page another site could have opened, and is let in.
     *
     * @param origin the request's Origin header, or null
     * @param host the request's Host header, or null
     */
    public boolean allows(String origin, String host) {
        return origin == null || sameOrigin(origin, host) || configured(origin);
    }

    /** @return whether the origin is one of the configured ones (or {@code *} is) */
    public boolean configured(String origin) {
        String lower = origin.toLowerCase(Locale.ROOT);
        for (String one : allowed) {
            if (one.equals("*") || one.equals(lower)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether {@code *} is configured */
    public boolean any() {
        return allowed.contains("*");
    }

    static boolean sameOrigin(String origin, String host) {
        try {
            URI uri = new URI(origin);
            String authority = uri.getAuthority();
            return authority != null && host != null && authority.equalsIgnoreCase(host)
                    && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * Logs, once per origin until the setting changes, that a page from it was refused.
     *
     * @param origin the refused origin
     * @param what what the page asked for, e.g. "open the feed at /infinitemap/ws"
     */
    public void refused(String origin, String what) {
        if (logged.size() > LOGGED_MAX || !logged.add(origin)) {
            return;
        }
        if (logged.size() > LOGGED_MAX) {
            log.warn("Pages from more than {} origins were refused; further refusals are not logged until allowedOrigins changes.", LOGGED_MAX);
            return;
        }
        log.warn("Refused a page from {}: it may not {}. To allow it, add it to allowedOrigins in deploy/{}.cfg "
                + "(a comma list, e.g. allowedOrigins = http://a.example,http://b.example:8000; * allows any page).",
                origin.length() > 200 ? origin.substring(0, 200) + "..." : origin, what, PID);
    }
}
