package dev.infinitemap.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * The runtime's own bundles, listed in {@code conf/bundles.list} (written from the features
 * when the runtime was assembled), one {@code "<start level> <path>"} per line.
 * <p>
 * The framework cache is kept between starts, so installing is reconciling: a listed bundle
 * missing from the cache is installed, one whose file changed is updated, and a cached core
 * bundle no longer listed is uninstalled. Bundles from {@code deploy/} are FileInstall's.
 */
final class CoreBundles {

    static final String LIST = "conf/bundles.list";
    /** The cluster's bundles: installed only when the runtime shares its map, uninstalled when it stops sharing. */
    static final String CLUSTER_LIST = "conf/cluster.list";
    // "reference:" makes the framework read each jar where it lies instead of copying it into
    // its cache: the core bundles never change while the runtime runs, and start-up saves the copy.
    private static final String LOCATION_PREFIX = "reference:";

    record Entry(int startLevel, Path file) {
        String location() {
            return LOCATION_PREFIX + file.toUri();
        }
    }

    private CoreBundles() {
    }

    static List<Entry> read(Path home, String list) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(home.resolve(list), StandardCharsets.UTF_8)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] parts = text.split("\\s+", 2);
            entries.add(new Entry(Integer.parseInt(parts[0]), home.resolve(parts[1])));
        }
        return entries;
    }

    /**
     * Installs, updates and uninstalls so that the framework holds exactly the listed core
     * bundles, each marked to start at its start level.
     *
     * @return the core bundles in list order
     */
    static List<Bundle> reconcile(BundleContext context, List<Entry> entries) throws IOException, BundleException {
        Map<String, Bundle> cached = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            if (isCoreLocation(bundle.getLocation())) {
                cached.put(bundle.getLocation(), bundle);
            }
        }
        List<Bundle> bundles = new ArrayList<>();
        for (Entry entry : entries) {
            Bundle bundle = cached.remove(entry.location());
            if (bundle == null) {
                bundle = context.installBundle(entry.location());
            } else if (Files.getLastModifiedTime(entry.file()).toMillis() > bundle.getLastModified()) {
                bundle.update();
            }
            bundle.adapt(BundleStartLevel.class).setStartLevel(entry.startLevel());
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
            bundles.add(bundle);
        }
        for (Bundle stale : cached.values()) {
            stale.uninstall();
        }
        return bundles;
    }

    // A core bundle is one we installed by reference from a bundle/ folder, this runtime
    // folder's or, when the folder was moved with its data/, the one it was copied from.
    static boolean isCoreLocation(String location) {
        return location.startsWith(LOCATION_PREFIX + "file:") && location.contains("/bundle/");
    }

    /** @return the highest start level in the list: the framework goes there */
    static int highestStartLevel(List<Entry> entries) {
        return entries.stream().mapToInt(Entry::startLevel).max().orElse(1);
    }
}
