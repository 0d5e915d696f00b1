package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.compositor.Compositor;
import dev.infinitemap.api.compositor.CompositorInfo;
import dev.infinitemap.api.compositor.CompositorRegistry;
import dev.infinitemap.api.map.InfiniteMap;

/** One name, one holder: the first claimant while running; the next takes over at once when it leaves. */
class CompositorNamesTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    InfiniteMap map;

    @InjectService
    CompositorRegistry registry;

    DeployFolder deploy;

    @BeforeEach
    void deployFolder() throws IOException {
        deploy = DeployFolder.of(context);
    }

    /** Issue: cp a b; rm a (both naming the same compositor) ended with no tiles and a stale error. */
    @Test
    void aManifestRenamedByCopyThenDeleteKeepsItsTilesUnderTheNewFile() throws Exception {
        String terrain = "{ \"compositor\": \"itest-terrain\", \"tiles\": { \"0,800\": {\"brick\": \"t.png\", \"timestamp\": 1},"
                + " \"1,800\": {\"brick\": \"t.png\", \"timestamp\": 1} } }";
        deploy.write("terrain-a.manifest.json", terrain);
        Await.until(() -> map.tile(1, 800).isPresent());

        deploy.write("terrain-b.manifest.json", terrain);
        Await.until(() -> entries("itest-terrain").size() == 2);
        CompositorInfo copy = entry("itest-terrain", "terrain-b.manifest.json");
        assertThat(copy.state()).isEqualTo(CompositorInfo.State.FAILED);
        assertThat(copy.lastError()).hasValueSatisfying(e -> assertThat(e).contains("deploy/terrain-a.manifest.json"));

        deploy.delete("terrain-a.manifest.json");
        Await.until(() -> entries("itest-terrain").size() == 1
                && entry("itest-terrain", "terrain-b.manifest.json").state() == CompositorInfo.State.ACTIVE);
        CompositorInfo renamed = entry("itest-terrain", "terrain-b.manifest.json");
        assertThat(renamed.tiles()).isEqualTo(2);
        assertThat(renamed.lastError()).as("no stale error naming the deleted file").isEmpty();
        Await.until(() -> map.tile(0, 800).isPresent() && map.tile(1, 800).isPresent());
        assertThat(map.tile(0, 800).orElseThrow().compositor()).isEqualTo("itest-terrain");

        deploy.delete("terrain-b.manifest.json");
        Await.until(() -> map.tile(0, 800).isEmpty() && entries("itest-terrain").isEmpty());
    }

    /** Issue: a manifest named like a bundle's compositor hid the bundle, which drew nothing after the manifest left. */
    @Test
    void aBundleAndAManifestOfOneNameAreBothListedAndTheBundleDrawsWhenTheManifestLeaves() throws Exception {
        deploy.write("itest-shared.manifest.json", "{ \"compositor\": \"itest-shared\", \"tiles\": { \"0,801\": {\"brick\": \"file.png\", \"timestamp\": 1} } }");
        Await.until(() -> map.tile(0, 801).isPresent());
        ServiceRegistration<Compositor> bundle = register("itest-shared", canvas -> canvas.draw(List.of(new Tile(5, 801, "bundle.png", 1))));
        try {
            Await.until(() -> entries("itest-shared").size() == 2);
            CompositorInfo waiting = entries("itest-shared").stream().filter(c -> c.kind() == CompositorInfo.Kind.BUNDLE).findFirst().orElseThrow();
            assertThat(waiting.state()).isEqualTo(CompositorInfo.State.FAILED);
            assertThat(waiting.lastError()).hasValueSatisfying(e -> assertThat(e).contains("deploy/itest-shared.manifest.json"));
            assertThat(map.tile(5, 801)).as("a waiting compositor draws nothing").isEmpty();

            deploy.delete("itest-shared.manifest.json");
            Await.until(() -> map.tile(5, 801).isPresent() && map.tile(0, 801).isEmpty());
            CompositorInfo holder = entries("itest-shared").get(0);
            assertThat(holder.kind()).isEqualTo(CompositorInfo.Kind.BUNDLE);
            Await.until(() -> entries("itest-shared").get(0).state() == CompositorInfo.State.ACTIVE);
        } finally {
            bundle.unregister();
        }
        Await.until(() -> map.tile(5, 801).isEmpty());
    }

    @Test
    void aManifestThatRenamesItsCompositorLeavesTheOldNameToTheNextClaimant() throws Exception {
        deploy.write("itest-first.manifest.json", "{ \"compositor\": \"itest-old\", \"tiles\": { \"0,802\": {\"brick\": \"a.png\", \"timestamp\": 1} } }");
        Await.until(() -> map.tile(0, 802).isPresent());
        deploy.write("itest-second.manifest.json", "{ \"compositor\": \"itest-old\", \"tiles\": { \"1,802\": {\"brick\": \"b.png\", \"timestamp\": 1} } }");
        Await.until(() -> entries("itest-old").size() == 2);

        deploy.write("itest-first.manifest.json", "{ \"compositor\": \"itest-new\", \"tiles\": { \"0,802\": {\"brick\": \"a.png\", \"timestamp\": 1} } }");
        Await.until(() -> map.tile(1, 802).isPresent() && map.tile(0, 802).map(t -> t.compositor().equals("itest-new")).orElse(false));
        assertThat(entries("itest-old")).singleElement().satisfies(c -> {
            assertThat(c.file()).contains("itest-second.manifest.json");
            assertThat(c.state()).isEqualTo(CompositorInfo.State.ACTIVE);
        });
        deploy.delete("itest-first.manifest.json");
        deploy.delete("itest-second.manifest.json");
        Await.until(() -> map.tile(0, 802).isEmpty() && map.tile(1, 802).isEmpty());
    }

    private List<CompositorInfo> entries(String name) {
        return registry.compositors().stream().filter(c -> c.name().equals(name)).toList();
    }

    private CompositorInfo entry(String name, String file) {
        return entries(name).stream().filter(c -> c.file().map(file::equals).orElse(false)).findFirst().orElseThrow();
    }

    private ServiceRegistration<Compositor> register(String name, Compositor compositor) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("infinitemap.compositor.name", name);
        return context.registerService(Compositor.class, compositor, properties);
    }

}
