package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;
import dev.infinitemap.api.event.MapEvents;
import dev.infinitemap.api.map.InfiniteMap;
import dev.infinitemap.itest.leak.LeakProbeActivator;

/**
 * A compositor bundle installed, updated and uninstalled {@value #CYCLES} times: its tiles come
 * and go each time, and afterwards the thread count and the heap after GC are back at their
 * baseline (within 10%, or 4 MiB for the heap) and no class loader of an uninstalled revision is still reachable.
 */
class BundleLeakTest {

    static final int CYCLES = 1000;
    static final int CHANGE_LOG = 10_000;
    static final String ACTIVATOR = LeakProbeActivator.class.getName().replace('.', '/') + ".class";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    InfiniteMap map;

    @InjectService
    EventAdmin eventAdmin;

    @Test
    void aThousandInstallUpdateUninstallCyclesLeaveNoThreadsHeapOrClassLoadersBehind() throws Exception {
        byte[] jar = probeBundle();
        cycle(jar, 50); // warm-up: JIT, class metadata and pools reach their steady size
        fillChangeLog(); // the bounded change log at its full size, so its growth is not taken for a leak
        long threadsBefore = threads();
        long heapBefore = heapAfterGc();

        Bundle first = context.installBundle("itest:leak-probe", new ByteArrayInputStream(jar));
        first.start();
        WeakReference<ClassLoader> firstLoader = new WeakReference<>(first.loadClass(LeakProbeActivator.class.getName()).getClassLoader());
        Await.until(() -> map.tile(49, 7000).isPresent());
        first.uninstall();
        Await.until(() -> map.tile(49, 7000).isEmpty());
        cycle(jar, CYCLES - 1);
        refresh();

        Await.until(() -> {
            System.gc();
            return firstLoader.get() == null;
        });
        Await.until(() -> threads() <= threadsBefore * 1.1);
        long heapAfter = heapAfterGc();
        // 10% of a baseline of about 25 MB is within what the framework's own caches and the
        // collector's timing move (seen: 10.6%); 4 MiB still shows a leak of 4 KiB a cycle.
        long allowed = heapBefore + Math.max(heapBefore / 10, 4L << 20);
        assertThat(heapAfter).as("heap after GC, baseline %d bytes, %d cycles", heapBefore, CYCLES).isLessThanOrEqualTo(allowed);
    }

    /** Posts as many deltas as the change log holds, each as large as the probe's (50 tiles). */
    private void fillChangeLog() throws InterruptedException {
        long start = map.revision();
        for (int sequence = 1; sequence <= CHANGE_LOG; sequence++) {
            List<Tile> tiles = new ArrayList<>(50);
            for (int x = 0; x < 50; x++) {
                tiles.add(new Tile(x, 7001, "fill.png", sequence));
            }
            eventAdmin.postEvent(new Event(MapEvents.DELTA_TOPIC, Map.of(MapEvents.DELTA, new TileDelta("leak-baseline", 0, sequence, tiles, new long[0]))));
        }
        Await.until(() -> map.revision() >= start + CHANGE_LOG);
    }

    private void cycle(byte[] jar, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            Bundle bundle = context.installBundle("itest:leak-probe", new ByteArrayInputStream(jar));
            bundle.start();
            Await.until(() -> map.tile(49, 7000).isPresent());
            bundle.update(new ByteArrayInputStream(jar));
            Await.until(() -> map.tile(49, 7000).isPresent() && bundle.getState() == Bundle.ACTIVE);
            bundle.uninstall();
            Await.until(() -> map.tile(49, 7000).isEmpty());
        }
        refresh();
    }

    /** Refreshes the framework so that removal-pending revisions go, and waits until it did. */
    private void refresh() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertThat(done.await(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("refresh finished").isTrue();
    }

    private static long threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long heapAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) { // the least of a few collections: one may run while others allocate
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            least = Math.min(least, runtime.totalMemory() - runtime.freeMemory());
        }
        return least;
    }

    private byte[] probeBundle() throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "itest.compositor.leakprobe");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", LeakProbeActivator.class.getName());
        main.putValue("Import-Package", "org.osgi.framework, dev.infinitemap.api, dev.infinitemap.api.compositor");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest);
                InputStream activator = context.getBundle().getEntry(ACTIVATOR).openStream()) {
            out.putNextEntry(new ZipEntry(ACTIVATOR));
            activator.transferTo(out);
        }
        return bytes.toByteArray();
    }

}
