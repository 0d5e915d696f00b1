package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import dev.infinitemap.api.compositor.CompositorInfo;
import dev.infinitemap.api.compositor.CompositorInfo.State;
import dev.infinitemap.api.compositor.CompositorRegistry;

/** The registry says what each compositor is, how many tiles it has, its state and last error. */
class CompositorRegistryTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    CompositorRegistry registry;

    @Test
    void aManifestIsListedWithItsFileTilesAndLastErrorUntilFixed() throws Exception {
        DeployFolder deploy = DeployFolder.of(context);
        deploy.write("listed.manifest.json", "{ \"layer\": 4, \"tiles\": { \"700,700\": {\"brick\": \"a.png\", \"timestamp\": 1},"
                + " \"701,700\": {\"brick\": \"a.png\", \"timestamp\": 1} } }");
        Await.until(() -> find("listed").map(i -> i.tiles() == 2).orElse(false));
        CompositorInfo listed = find("listed").orElseThrow();
        assertThat(listed.kind()).isEqualTo(CompositorInfo.Kind.MANIFEST);
        assertThat(listed.file()).contains("listed.manifest.json");
        assertThat(listed.layer()).isEqualTo(4);
        assertThat(listed.state()).isEqualTo(State.ACTIVE);
        assertThat(listed.lastUpdate()).isPresent();

        deploy.write("listed.manifest.json", "{ \"layer\": 4, \"tiles\": { \"700,700\": {\"brick\": \"a.png\"} } }");
        Await.until(() -> find("listed").map(i -> i.state() == State.FAILED).orElse(false));
        assertThat(find("listed").orElseThrow().lastError()).hasValueSatisfying(e -> assertThat(e).contains("has no timestamp"));
        assertThat(find("listed").orElseThrow().tiles()).as("the last good tiles stay").isEqualTo(2);

        deploy.write("listed.manifest.json", "{ \"layer\": 4, \"tiles\": { \"700,700\": {\"brick\": \"a.png\", \"timestamp\": 2} } }");
        Await.until(() -> find("listed").map(i -> i.state() == State.ACTIVE && i.tiles() == 1).orElse(false));
        assertThat(find("listed").orElseThrow().lastError()).isEmpty();

        deploy.delete("listed.manifest.json");
        Await.until(() -> find("listed").isEmpty());
    }

    @Test
    void aBundleCompositorIsListedWithItsBundleAndStoppedWhenItsBundleStops() throws Exception {
        Bundle region = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().equals("dev.infinitemap.compositor.region")).findFirst().orElseThrow();
        Await.until(() -> find("region").map(i -> i.state() == State.ACTIVE && i.tiles() > 0).orElse(false));
        CompositorInfo info = find("region").orElseThrow();
        assertThat(info.kind()).isEqualTo(CompositorInfo.Kind.BUNDLE);
        assertThat(info.bundle()).hasValueSatisfying(b -> {
            assertThat(b.symbolicName()).isEqualTo("dev.infinitemap.compositor.region");
            assertThat(b.id()).isEqualTo(region.getBundleId());
        });

        region.stop();
        try {
            Await.until(() -> find("region").map(i -> i.state() == State.STOPPED && i.tiles() == 0).orElse(false));
        } finally {
            region.start();
        }
        Await.until(() -> find("region").map(i -> i.state() == State.ACTIVE && i.tiles() > 0).orElse(false));
    }

    private Optional<CompositorInfo> find(String name) {
        return registry.compositors().stream().filter(i -> i.name().equals(name)).findFirst();
    }

    @Test
    void aCompositorBundleThatCannotResolveIsListedWithWhatItMisses() throws Exception {
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
            Await.until(() -> find("itest.compositor.unresolvable").isPresent());
            assertThat(registry.compositors()).anySatisfy(info -> {
                assertThat(info.name()).isEqualTo("itest.compositor.unresolvable");
                assertThat(info.state()).isEqualTo(dev.infinitemap.api.compositor.CompositorInfo.State.UNRESOLVED);
                assertThat(info.lastError()).hasValueSatisfying(e -> assertThat(e).contains("com.example.nobody.has.this"));
            });

        } finally {
            bundle.uninstall();
        }
        Await.until(() -> registry.compositors().stream().noneMatch(i -> i.name().equals("itest.compositor.unresolvable")));
    }

}
