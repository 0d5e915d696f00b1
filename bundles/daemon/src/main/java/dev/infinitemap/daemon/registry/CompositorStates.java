package dev.infinitemap.daemon.registry;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.osgi.service.component.annotations.Component;

import dev.infinitemap.api.compositor.CompositorInfo;
import dev.infinitemap.api.compositor.CompositorRegistry;

/**
 * The state of every compositor, kept by the parts of the daemon that see it change first
 * hand: the manifest installer, the compositor tracker and the unresolved-bundle reporter.
 * Entries are keyed by where the compositor comes from ({@code deploy/<file>},
 * {@code bundle:<id>:<name>}, {@code bundle:<id>} for a bundle that cannot resolve).
 */
@Component(service = { CompositorRegistry.class, CompositorStates.class })
public class CompositorStates implements CompositorRegistry {

    private final Map<String, CompositorInfo> states = new ConcurrentHashMap<>();

    @Override
    public List<CompositorInfo> compositors() {
        return states.values().stream().sorted(Comparator.comparing(CompositorInfo::name)).toList();
    }

    /** Sets what is known of the compositor from this source. */
    public void put(String key, CompositorInfo info) {
        states.put(key, info);
    }

    /** Changes an entry, if there is one. */
    public void update(String key, UnaryOperator<CompositorInfo> change) {
        states.computeIfPresent(key, (k, info) -> change.apply(info));
    }

    /** Forgets an entry. */
    public void remove(String key) {
        states.remove(key);
    }

    /** Forgets every entry of a bundle, when it is uninstalled. */
    public void removeBundle(long bundleId) {
        states.keySet().removeIf(key -> key.equals("bundle:" + bundleId) || key.startsWith("bundle:" + bundleId + ":"));
    }

    /** @return the key of a bundle's compositor component */
    public static String bundleKey(long bundleId, String compositor) {
        return "bundle:" + bundleId + ":" + compositor;
    }

    /** @return the key of a bundle that cannot resolve */
    public static String unresolvedKey(long bundleId) {
        return "bundle:" + bundleId;
    }
}
