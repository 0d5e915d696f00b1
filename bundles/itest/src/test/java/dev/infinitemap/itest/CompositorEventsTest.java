package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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


    @InjectBundleContext
    BundleContext context;

    @org.osgi.test.common.annotation.InjectService
    dev.infinitemap.api.compositor.CompositorRegistry registry;

    @Test
    void aManifestIsAnnouncedAddedFailedAndRemoved() throws Exception {
        List<Event> events = new CopyOnWriteArrayList<>();
        Dictionary<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, MapEvents.COMPOSITOR_TOPIC_PREFIX + "*");
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, events::add, topics);
        try {
            Path deploy = Files.createDirectories(Path.of(context.getProperty("felix.fileinstall.dir")));
            write(deploy, "announced.manifest.json", "{ \"600,600\": {\"brick\": \"a.png\", \"timestamp\": 1} }");
            Await.until(() -> has(events, MapEvents.COMPOSITOR_ADDED, "announced"));
            write(deploy, "announced.manifest.json", "{ \"600,600\": {\"brick\": \"a.png\", \"timestamp\": \"late\"} }");
            Await.until(() -> has(events, MapEvents.COMPOSITOR_FAILED, "announced"));
            Files.delete(deploy.resolve("announced.manifest.json"));
            Await.until(() -> has(events, MapEvents.COMPOSITOR_REMOVED, "announced"));

            Event failed = events.stream().filter(e -> e.getTopic().equals(MapEvents.COMPOSITOR_FAILED)).findFirst().orElseThrow();
            assertThat((String) failed.getProperty(MapEvents.ERROR)).contains("announced.manifest.json").contains("timestamp must be a number");
        } finally {
            handler.unregister();
        }
    }

    @Test
    void aCompositorBundleThatCannotResolveIsReportedWithWhatItMisses() throws Exception {
        List<Event> events = new CopyOnWriteArrayList<>();
        Dictionary<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, MapEvents.COMPOSITOR_FAILED);
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, events::add, topics);
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        java.util.jar.Attributes main = manifest.getMainAttributes();
        main.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "itest.compositor.unresolvable");
        main.putValue("Provide-Capability", "dev.infinitemap.compositor;dev.infinitemap.compositor=compositor");
        main.putValue("Import-Package", "com.example.nobody.has.this");
        java.io.ByteArrayOutputStream jar = new java.io.ByteArrayOutputStream();
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(jar, manifest)) {
            out.putNextEntry(new java.util.zip.ZipEntry("empty.txt"));
        }
        org.osgi.framework.Bundle bundle = context.installBundle("itest:unresolvable", new java.io.ByteArrayInputStream(jar.toByteArray()));
        try {
            Await.until(() -> events.stream().anyMatch(e -> "itest.compositor.unresolvable".equals(e.getProperty(MapEvents.BUNDLE))));
            Event failed = events.stream().filter(e -> "itest.compositor.unresolvable".equals(e.getProperty(MapEvents.BUNDLE))).findFirst().orElseThrow();
            assertThat(failed.getProperty(MapEvents.STATE)).isEqualTo(MapEvents.UNRESOLVED);
            assertThat((String) failed.getProperty(MapEvents.ERROR)).contains("com.example.nobody.has.this");
            assertThat(registry.compositors()).anySatisfy(info -> {
                assertThat(info.name()).isEqualTo("itest.compositor.unresolvable");
                assertThat(info.state()).isEqualTo(dev.infinitemap.api.compositor.CompositorInfo.State.UNRESOLVED);
                assertThat(info.lastError()).hasValueSatisfying(e -> assertThat(e).contains("com.example.nobody.has.this"));
            });

            // Any change of the installed bundles is a retry: it is reported again.
            int before = events.size();
            org.osgi.framework.Bundle other = context.installBundle("itest:other", new java.io.ByteArrayInputStream(jar(manifestOf("itest.other.bundle"))));
            Await.until(() -> events.size() > before);
            other.uninstall();
        } finally {
            bundle.uninstall();
            handler.unregister();
        }
        Await.until(() -> registry.compositors().stream().noneMatch(i -> i.name().equals("itest.compositor.unresolvable")));
    }

    private static java.util.jar.Manifest manifestOf(String symbolicName) {
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        return manifest;
    }

    private static byte[] jar(java.util.jar.Manifest manifest) throws java.io.IOException {
        java.io.ByteArrayOutputStream jar = new java.io.ByteArrayOutputStream();
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(jar, manifest)) {
            out.putNextEntry(new java.util.zip.ZipEntry("empty.txt"));
        }
        return jar.toByteArray();
    }

    private static boolean has(List<Event> events, String topic, String compositor) {
        return events.stream().anyMatch(e -> e.getTopic().equals(topic) && compositor.equals(e.getProperty(MapEvents.COMPOSITOR)));
    }

    private static void write(Path deploy, String name, String json) throws Exception {
        Path staging = deploy.resolveSibling(name + ".part");
        Files.writeString(staging, json, StandardCharsets.UTF_8);
        Files.move(staging, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

}
