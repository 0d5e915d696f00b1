package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.TileDelta;
import dev.infinitemap.api.compositor.CompositorRegistry;
import dev.infinitemap.api.event.MapEvents;
import dev.infinitemap.api.map.InfiniteMap;

/** The map commands, run through the real Gogo command processor. */
class MapCommandsTest {

    @InjectService
    CommandProcessor processor;

    @InjectService
    InfiniteMap map;

    @InjectService
    EventAdmin eventAdmin;

    @InjectService
    CompositorRegistry registry;

    @InjectBundleContext
    BundleContext context;

    @Test
    void statusListAndTilesAnswerFromTheMapAndTheRegistry() throws Exception {
        Await.until(() -> map.tile(-30, 12).isPresent()); // the region sample has drawn

        assertThat(run("map:status")).matches("revision \\d+, \\d+ tiles, \\d+ compositors");
        assertThat(run("map:list")).contains("NAME").contains("region").contains("dev.infinitemap.compositor.region");
        assertThat(run("map:tiles -30 12 -29 12")).startsWith("2 tiles at revision").contains("-30,12").contains("region (layer 0)");
        assertThat(run("map:tiles 5 5 1 1")).contains("The rectangle is empty");
        assertThat(run("map:reload no-such-compositor")).contains("No compositor is named no-such-compositor");
        assertThat(run("map:cluster")).contains("keeps its map to itself").contains("INFINITEMAP_CLUSTER_BOOTSTRAP");
    }

    @Test
    void listNamesTheFilesOfDeployThatCannotBeUsedUntilTheyGo() throws Exception {
        DeployFolder deploy = DeployFolder.of(context);
        deploy.write("shell-broken.jar", "not a zip");
        // The file is judged once it has been still for 2 s.
        Await.until(() -> registry.unusableFiles().stream().anyMatch(u -> u.file().equals("deploy/shell-broken.jar")));
        assertThat(run("map:list")).containsPattern("-\\s+file\\s+deploy/shell-broken.jar\\s+-\\s+-\\s+unusable\\s+it is not a valid jar \\(zip\\) file");
        deploy.delete("shell-broken.jar");
        Await.until(() -> registry.unusableFiles().stream().noneMatch(u -> u.file().equals("deploy/shell-broken.jar")));
        assertThat(run("map:list")).doesNotContain("shell-broken.jar");
    }

    @Test
    void deltasListsTheLatestChangesWithTheirCompositor() throws Exception {
        try (RowWatch row = new RowWatch(map, 5000)) {
            eventAdmin.postEvent(new Event(MapEvents.DELTA_TOPIC, Map.of(MapEvents.DELTA,
                    new TileDelta("itest-shell-deltas", 0, 1, List.of(new Tile(1, 5000, "a.png", 1), new Tile(2, 5000, "a.png", 1)), new long[0]))));
            Await.until(() -> row.size() == 1);
            long revision = row.revisions().get(0);
            // Other tests' changes may come after it: ask for enough to reach it.
            assertThat(run("map:deltas 1000")).startsWith("REVISION").containsPattern(revision + " +itest-shell-deltas +2 +0");
        }
        assertThat(run("map:deltas 1").lines().count()).isEqualTo(2);
        assertThat(run("map:deltas")).startsWith("REVISION");
        assertThat(run("map:deltas 0")).isEqualTo("Ask for 1 to 1000 deltas.");
    }

    @Test
    void reloadingABundleCompositorRestartsItAndItDrawsAgain() throws Exception {
        Await.until(() -> map.tile(-30, 12).isPresent());
        assertThat(run("map:reload region")).startsWith("Restarted bundle dev.infinitemap.compositor.region");
        Await.until(() -> map.tile(-30, 12).isPresent());
    }

    private String run(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
            Object result = session.execute(command);
            if (result != null) {
                out.print(session.format(result, org.apache.felix.service.command.Converter.INSPECT));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8).strip();
    }
}
