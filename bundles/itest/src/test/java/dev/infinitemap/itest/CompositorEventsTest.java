package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;

import dev.infinitemap.api.event.MapEvents;

/** Compositor lifecycle changes are announced on Event Admin, with the reason of a failure. */
class CompositorEventsTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    @InjectBundleContext
    BundleContext context;

    @Test
    void aManifestIsAnnouncedAddedFailedAndRemoved() throws Exception {
        List<Event> events = new CopyOnWriteArrayList<>();
        Dictionary<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, MapEvents.COMPOSITOR_TOPIC_PREFIX + "*");
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, events::add, topics);
        try {
            Path deploy = Files.createDirectories(Path.of(context.getProperty("felix.fileinstall.dir")));
            write(deploy, "announced.manifest.json", "{ \"600,600\": {\"brick\": \"a.png\", \"timestamp\": 1} }");
            await(() -> has(events, MapEvents.COMPOSITOR_ADDED, "announced"));
            write(deploy, "announced.manifest.json", "{ \"600,600\": {\"brick\": \"a.png\", \"timestamp\": \"late\"} }");
            await(() -> has(events, MapEvents.COMPOSITOR_FAILED, "announced"));
            Files.delete(deploy.resolve("announced.manifest.json"));
            await(() -> has(events, MapEvents.COMPOSITOR_REMOVED, "announced"));

            Event failed = events.stream().filter(e -> e.getTopic().equals(MapEvents.COMPOSITOR_FAILED)).findFirst().orElseThrow();
            assertThat((String) failed.getProperty(MapEvents.ERROR)).contains("announced.manifest.json").contains("timestamp must be a number");
        } finally {
            handler.unregister();
        }
    }

    private static boolean has(List<Event> events, String topic, String compositor) {
        return events.stream().anyMatch(e -> e.getTopic().equals(topic) && compositor.equals(e.getProperty(MapEvents.COMPOSITOR)));
    }

    private static void write(Path deploy, String name, String json) throws Exception {
        Path staging = deploy.resolveSibling(name + ".part");
        Files.writeString(staging, json, StandardCharsets.UTF_8);
        Files.move(staging, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within %s", TIMEOUT).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
