package dev.infinitemap.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.infinitemap.api.cluster.Cluster;
import dev.infinitemap.api.compositor.CompositorInfo;

class CompositorsServletTest {

    @Test
    void aManifestCompositorIsWrittenInTheApisShapeWithItsErrorEscaped() {
        CompositorInfo info = new CompositorInfo("terrain", CompositorInfo.Kind.MANIFEST, Optional.empty(), Optional.of("terrain.manifest.json"),
                10, 2, CompositorInfo.State.FAILED, Optional.of(Instant.parse("2026-11-24T01:02:03Z")),
                Optional.of("tile \"1,1\": brick \"..\\x\"\nbad"));
        assertEquals("{\"name\":\"terrain\",\"kind\":\"manifest\",\"file\":\"terrain.manifest.json\",\"layer\":10,\"tiles\":2,"
                + "\"state\":\"failed\",\"lastUpdate\":\"2026-11-24T01:02:03Z\",\"lastError\":\"tile \\\"1,1\\\": brick \\\"..\\\\x\\\"\\nbad\"}",
                CompositorsServlet.json(info));
    }

    @Test
    void aBundleCompositorNamesItsBundleAndHasNullsForWhatIsUnknown() {
        CompositorInfo info = new CompositorInfo("clock", CompositorInfo.Kind.BUNDLE,
                Optional.of(new CompositorInfo.BundleRef("dev.infinitemap.compositor.clock", "0.1.0.SNAPSHOT", 31)), Optional.empty(), 5, 0,
                CompositorInfo.State.UNRESOLVED, Optional.empty(), Optional.empty());
        assertEquals("{\"name\":\"clock\",\"kind\":\"bundle\",\"bundle\":{\"symbolicName\":\"dev.infinitemap.compositor.clock\","
                + "\"version\":\"0.1.0.SNAPSHOT\",\"id\":31},\"layer\":5,\"tiles\":0,\"state\":\"unresolved\",\"lastUpdate\":null,\"lastError\":null}",
                CompositorsServlet.json(info));
    }

    @Test
    void aRemoteCompositorNamesItsRuntimeAndIsKeptOnceItsRuntimeIsGoneWithItsTiles() {
        assertEquals("{\"name\":\"terrain@b\",\"kind\":\"remote\",\"runtime\":\"b\",\"compositor\":\"terrain\",\"layer\":3,\"tiles\":7,"
                + "\"state\":\"active\",\"lastUpdate\":null,\"lastError\":null}",
                CompositorsServlet.json(new Cluster.RemoteCompositor("terrain@b", "terrain", "b", 3, 7, false)));
        assertTrue(CompositorsServlet.json(new Cluster.RemoteCompositor("terrain@b", "terrain", "b", 3, 7, true)).contains(",\"state\":\"kept\","));
    }

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("\"a\\u0001b\\tc\"", Json.quote("a\u0001b\tc"));
    }
}
