package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import dev.infinitemap.api.Tile;
import dev.infinitemap.api.compositor.Compositor;
import dev.infinitemap.api.compositor.CompositorInfo;
import dev.infinitemap.api.compositor.CompositorRegistry;
import dev.infinitemap.api.map.InfiniteMap;

/** Compositor services registered in the real framework draw, fail and leave without harming others. */
class CompositorTrackerTest {


    @InjectBundleContext
    BundleContext context;

    @InjectService
    InfiniteMap map;

    @InjectService
    CompositorRegistry registry;

    @Test
    void aCompositorsTilesAppearAndLeaveWithItsServiceAndNothingElseDoes() throws Exception {
        ServiceRegistration<Compositor> stays = register("itest-stays", 0, canvas -> canvas.draw(row(100, 3, "stay.png")));
        ServiceRegistration<Compositor> goes = register("itest-goes", 1, canvas -> canvas.draw(row(103, 3, "go.png")));
        Await.until(() -> map.tile(100, 100).isPresent() && map.tile(103, 100).isPresent());

        goes.unregister();
        Await.until(() -> map.tile(103, 100).isEmpty() && map.tile(105, 100).isEmpty());
        assertThat(map.tile(100, 100).orElseThrow().compositor()).isEqualTo("itest-stays");
        stays.unregister();
        Await.until(() -> map.tile(100, 100).isEmpty());
    }

    @Test
    void aThrowingCompositorHarmsNoOther() throws Exception {
        ServiceRegistration<Compositor> throwing = register("itest-throws", 0, canvas -> {
            canvas.draw(row(200, 1, "half.png"));
            throw new IllegalStateException("fixture compositor fails");
        });
        ServiceRegistration<Compositor> good = register("itest-good", 0, canvas -> canvas.draw(row(210, 2, "good.png")));
        Await.until(() -> map.tile(210, 100).isPresent() && map.tile(211, 100).isPresent());
        throwing.unregister();
        good.unregister();
        Await.until(() -> map.tile(200, 100).isEmpty() && map.tile(210, 100).isEmpty());
    }

    @Test
    void aHangingCompositorDoesNotHoldUpTheOthers() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        ServiceRegistration<Compositor> hanging = register("itest-hangs", 0, canvas -> never.await());
        ServiceRegistration<Compositor> good = register("itest-after-hang", 0, canvas -> canvas.draw(row(300, 1, "good.png")));
        Await.until(() -> map.tile(300, 100).isPresent());
        hanging.unregister();
        good.unregister();
        Await.until(() -> map.tile(300, 100).isEmpty());
    }

    /**
     * Issue: a render that ignores the interrupt kept its thread, and each new install of the same
     * bundle leaked another, with nothing reported.
     */
    @Test
    void aRenderThatIgnoresTheInterruptIsFailedWithThatReasonAndItsNameGetsNoSecondThreadUntilItEnds() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
        Compositor stubborn = canvas -> {
            while (!release.get()) {
                try {
                    Thread.sleep(20); // the careless compositor's own loop
                } catch (InterruptedException e) {
                    // ignored, as the compositor this fixture stands for does
                }
            }
            canvas.draw(row(700, 1, "late.png"));
        };
        ServiceRegistration<Compositor> first = register("itest-stubborn", 0, stubborn);
        Await.until(() -> lastError("itest-stubborn").contains("ignored the interrupt: its render thread still runs (1 thread held"));
        first.unregister();
        for (int install = 0; install < 3; install++) {
            ServiceRegistration<Compositor> again = register("itest-stubborn", 0, stubborn);
            Await.until(() -> lastError("itest-stubborn").contains("its previous render ignored the interrupt and still runs"));
            again.unregister();
        }
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("infinitemap-render-itest-stubborn")))
                .as("render threads of the compositor after four installs").hasSize(1);

        ServiceRegistration<Compositor> waiting = register("itest-stubborn", 0, stubborn);
        Await.until(() -> lastError("itest-stubborn").contains("it renders when that one ends"));
        release.set(true);
        Await.until(() -> map.tile(700, 100).isPresent()); // the held thread ended, so the waiting one rendered
        waiting.unregister();
        Await.until(() -> map.tile(700, 100).isEmpty());
        assertThat(registry.compositors().stream().filter(c -> c.name().equals("itest-stubborn") && c.state() != CompositorInfo.State.STOPPED))
                .as("no failed or active entry left behind by the renders that outlived their services").isEmpty();
    }

    private String lastError(String name) {
        return registry.compositors().stream().filter(c -> c.name().equals(name)).map(c -> c.lastError().orElse("")).findFirst().orElse("");
    }

    @Test
    void aSecondCompositorWithATakenNameWaitsListedAsFailedAndDrawsWhenTheFirstLeaves() throws Exception {
        ServiceRegistration<Compositor> first = register("itest-same-name", 0, canvas -> canvas.draw(row(400, 1, "first.png")));
        Await.until(() -> map.tile(400, 100).isPresent());
        ServiceRegistration<Compositor> second = register("itest-same-name", 5, canvas -> canvas.draw(row(400, 1, "second.png")));
        Await.until(() -> registry.compositors().stream().filter(c -> c.name().equals("itest-same-name")).count() == 2);
        CompositorInfo waiting = registry.compositors().stream()
                .filter(c -> c.name().equals("itest-same-name") && c.state() == CompositorInfo.State.FAILED).findFirst().orElseThrow();
        assertThat(waiting.lastError()).hasValueSatisfying(e -> assertThat(e).contains("is used by bundle dev.infinitemap.itest-tests (service "
                + first.getReference().getProperty(Constants.SERVICE_ID) + ")"));
        assertThat(map.tile(400, 100).orElseThrow().tile().brick()).isEqualTo("first.png");

        first.unregister();
        Await.until(() -> map.tile(400, 100).map(t -> t.tile().brick().equals("second.png")).orElse(false));
        assertThat(map.tile(400, 100).orElseThrow().layer()).as("the second's own layer").isEqualTo(5);
        second.unregister();
        Await.until(() -> map.tile(400, 100).isEmpty());
    }

    @Test
    void aCompositorKeepsDrawingThroughItsCanvasUntilItIsGone() throws Exception {
        var canvasHolder = new java.util.concurrent.atomic.AtomicReference<dev.infinitemap.api.compositor.TileCanvas>();
        ServiceRegistration<Compositor> live = register("itest-live", 0, canvas -> {
            canvasHolder.set(canvas);
            canvas.draw(row(500, 2, "t0.png"));
        });
        Await.until(() -> map.tile(501, 100).isPresent());
        canvasHolder.get().update(List.of(new Tile(502, 100, "t1.png", 2)), dev.infinitemap.api.CellKey.pack(500, 100));
        Await.until(() -> map.tile(502, 100).isPresent() && map.tile(500, 100).isEmpty());
        live.unregister();
        Await.until(() -> map.tile(501, 100).isEmpty() && map.tile(502, 100).isEmpty());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> canvasHolder.get().draw(row(500, 1, "late.png")));
    }

    @Test
    void aCompositorFloodingUpdatesHoldsUpNoOtherAndEndsExact() throws Exception {
        int updates = 20_000;
        AtomicReference<Thread> flood = new AtomicReference<>();
        ServiceRegistration<Compositor> flooding = register("itest-floods", 0, canvas -> {
            Thread thread = new Thread(() -> {
                for (int i = 1; i <= updates; i++) {
                    canvas.update(List.of(new Tile(i % 10, 600, "flood-" + i + ".png", i)));
                }
            }, "itest-flood");
            flood.set(thread);
            thread.start();
        });
        try {
            Await.until(() -> flood.get() != null && map.tile(0, 600).isPresent());
            ServiceRegistration<Compositor> other = register("itest-beside-flood", 0, canvas -> canvas.draw(row(620, 1, "calm.png")));
            Await.until(() -> map.tile(620, 100).isPresent()); // while the flood runs, or just after
            other.unregister();
            flood.get().join(Await.TIMEOUT.toMillis());
            // Every update reached the map in order: each cell shows the last update made to it.
            for (int x = 0; x < 10; x++) {
                int last = updates - ((updates - x) % 10);
                int cell = x;
                Await.until(() -> map.tile(cell, 600).map(t -> t.tile().brick().equals("flood-" + last + ".png")).orElse(false));
            }
        } finally {
            flooding.unregister();
        }
        Await.until(() -> map.tile(0, 600).isEmpty() && map.tile(9, 600).isEmpty());
    }

    private ServiceRegistration<Compositor> register(String name, int layer, Compositor compositor) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("infinitemap.compositor.name", name);
        properties.put("infinitemap.compositor.layer", layer);
        return context.registerService(Compositor.class, compositor, properties);
    }

    private static List<Tile> row(int x, int count, String brick) {
        List<Tile> tiles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tiles.add(new Tile(x + i, 100, brick, 1));
        }
        return tiles;
    }

}
