package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;

import dev.infinitemap.api.map.InfiniteMap;

/** The map commands, run through the real Gogo command processor. */
class MapCommandsTest {

    @InjectService
    CommandProcessor processor;

    @InjectService
    InfiniteMap map;

    @Test
    void statusListAndTilesAnswerFromTheMapAndTheRegistry() throws Exception {
        Await.until(() -> map.tile(-30, 12).isPresent()); // the region sample has drawn

        assertThat(run("map:status")).matches("revision \\d+, \\d+ tiles, \\d+ compositors");
        assertThat(run("map:list")).contains("NAME").contains("region").contains("dev.infinitemap.compositor.region");
        assertThat(run("map:tiles -30 12 -29 12")).startsWith("2 tiles at revision").contains("-30,12").contains("region (layer 0)");
        assertThat(run("map:tiles 5 5 1 1")).contains("The rectangle is empty");
        assertThat(run("map:reload no-such-compositor")).contains("No compositor is named no-such-compositor");
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
