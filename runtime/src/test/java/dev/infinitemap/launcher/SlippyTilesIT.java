package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The map as slippy tiles ({@code /infinitemap/tiles/{z}/{x}/{y}.png}) and their TileJSON, asked
 * over HTTP of the running runtime. The cells used sit far from the samples' tiles near the origin.
 */
class SlippyTilesIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Cell (100000, 100000) is the top left cell of its zoom-29 tile: 100000 and 2^31 are multiples of 8. */
    static final int X = 100_000;
    static final int Y = 100_000;

    @TempDir
    static Path dir;

    static RuntimeProcess runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = new RuntimeProcess(dir);
        runtime.start();
    }

    @AfterAll
    static void stop() throws Exception {
        assertEquals(0, runtime.stop());
    }

    @Test
    void tileJsonDescribesTheLayerWithAnAbsoluteTemplate() throws Exception {
        HttpResponse<String> response = runtime.get("/infinitemap/tiles.json");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        String json = response.body().replaceAll("\\s", "");
        for (String field : new String[] { "\"tilejson\":\"3.0.0\"", "\"minzoom\":0", "\"maxzoom\":29", "\"scheme\":\"xyz\"",
                "\"tiles\":[\"http://127.0.0.1:" + runtime.port + "/infinitemap/tiles/{z}/{x}/{y}.png\"]" }) {
            assertTrue(json.contains(field), field + " in " + json);
        }
    }

    @Test
    void theDeepestZoomDrawsBricksAndLowerZoomsTheirColours() throws Exception {
        runtime.deploy("slippy-draw.manifest.json", manifest(X, "grass.png", X + 1, "no-image-here.png"));
        long tx = tile(29, X);
        long ty = tile(29, Y);
        Tile deep = awaitDrawn(29, tx, ty, p -> opaque(p.getRGB(32 + 5, 5)));

        Set<Integer> grass = colours(deep.image, 0, 0, 32);
        assertTrue(grass.size() > 1, "cell 1 shows the grass image, not one colour: " + grass.size());
        assertTrue(grass.stream().allMatch(SlippyTilesIT::opaque), "the grass image is opaque");
        Set<Integer> placeholder = colours(deep.image, 32, 0, 32);
        assertEquals(1, placeholder.size(), "a brick without an image is one colour");
        assertTrue(opaque(placeholder.iterator().next()));
        assertEquals(Set.of(0), colours(deep.image, 64, 0, 32), "an empty cell stays transparent");
        assertEquals(Set.of(0), colours(deep.image, 0, 32, 32), "and so does the row below");

        // Zoom 24: one pixel a cell; (100000 mod 256) = 160.
        Tile pixel = fetch(24, tile(24, X), tile(24, Y), null);
        assertEquals(200, pixel.status);
        int mean = meanOf(Path.of("target/infinitemap/bricks/grass.png"));
        assertClose(mean, pixel.image.getRGB(160, 160), "grass's average colour");
        assertEquals(placeholder.iterator().next(), pixel.image.getRGB(161, 160), "the same placeholder colour");
        assertEquals(0, pixel.image.getRGB(162, 160));

        // Zoom 10: a pixel per square of 2^14 cells, which holds one of the two.
        Tile overview = fetch(10, tile(10, X), tile(10, Y), null);
        assertTrue(opaque(overview.image.getRGB((X >> 14) & 255, (Y >> 14) & 255)), "the overview shows the square");
        assertEquals(0, overview.image.getRGB(((X >> 14) & 255) + 1, (Y >> 14) & 255), "and not its empty neighbour");
    }

    @Test
    void aTilesETagChangesExactlyWhenAChangeTouchesIt() throws Exception {
        int x = X + 800;
        runtime.deploy("slippy-etag.manifest.json", manifest(x, "grass.png"));
        long tx = tile(29, x);
        long ty = tile(29, Y);
        Tile first = awaitDrawn(29, tx, ty, p -> opaque(p.getRGB(0, 0)));
        assertNotNull(first.etag);
        assertTrue(first.cacheControl.contains("no-cache"), first.cacheControl);
        assertEquals(304, fetch(29, tx, ty, first.etag).status, "unchanged: not modified");

        // A cell in the next tile to the right changes; this one does not.
        runtime.deploy("slippy-etag-beside.manifest.json", manifest(x + 8, "road.png"));
        awaitDrawn(29, tx + 1, ty, p -> opaque(p.getRGB(0, 0)));
        assertEquals(304, fetch(29, tx, ty, first.etag).status, "a change elsewhere keeps the tile's ETag");

        runtime.deploy("slippy-etag.manifest.json", manifest(x, "road.png"));
        Tile road = awaitChanged(29, tx, ty, first.etag);
        assertEquals(200, road.status);
        assertNotEquals(first.etag, road.etag);
        assertTrue(opaque(road.image.getRGB(0, 0)));

        Files.delete(runtime.home.resolve("deploy/slippy-etag.manifest.json"));
        Tile gone = awaitChanged(29, tx, ty, road.etag);
        assertEquals(Set.of(0), colours(gone.image, 0, 0, 256), "a removed compositor leaves the tile empty");
    }

    @Test
    void aTileWithoutACompositorShowsWhatItCoversAndChangesWhenThatChanges() throws Exception {
        int x = X + 1600;
        runtime.deploy("slippy-under.manifest.json", manifest(x, "grass.png"));
        runtime.deploy("slippy-over.manifest.json", layered(1, manifest(x, "road.png")));
        long tx = tile(24, x);
        long ty = tile(24, Y);
        int px = x & 255;
        int py = Y & 255;
        int grass = meanOf(Path.of("target/infinitemap/bricks/grass.png"));
        int road = meanOf(Path.of("target/infinitemap/bricks/road.png"));
        Tile whole = awaitDrawn(24, tx, ty, "", p -> close(road, p.getRGB(px, py)));
        Tile without = awaitDrawn(24, tx, ty, "?hide=slippy-over", p -> close(grass, p.getRGB(px, py)));
        assertEquals(Set.of(0), colours(fetch(24, tx, ty, "?hide=slippy-over,slippy-under", null).image, px, py, 1), "nothing left to show");

        // The covered tile changes: the whole map's tile stays, the one without the cover follows.
        runtime.deploy("slippy-under.manifest.json", manifest(x, "no-image-here.png"));
        Tile changed = awaitChanged(24, tx, ty, "?hide=slippy-over", without.etag);
        assertTrue(opaque(changed.image.getRGB(px, py)) && !close(grass, changed.image.getRGB(px, py)), "the placeholder colour, not grass");
        assertEquals(304, fetch(24, tx, ty, "", whole.etag).status, "the whole map did not change there");
        assertEquals(400, runtime.get("/infinitemap/tiles/24/" + tx + "/" + ty + ".png?hide="
                + java.util.stream.IntStream.range(0, 300).mapToObj(i -> "c" + i).collect(java.util.stream.Collectors.joining(","))).statusCode(),
                "too many names");
        Files.delete(runtime.home.resolve("deploy/slippy-over.manifest.json"));
        Files.delete(runtime.home.resolve("deploy/slippy-under.manifest.json"));
    }

    @Test
    void namesOutsideTheGridAreNotFound() throws Exception {
        for (String path : new String[] { "30/0/0.png", "1/2/0.png", "1/0/2.png", "0/0/0.jpg", "0/0.png", "a/0/0.png",
                "0/0/0.png/x", "99999999999/0/0.png" }) {
            assertEquals(404, runtime.get("/infinitemap/tiles/" + path).statusCode(), path);
        }
        assertEquals(200, runtime.get("/infinitemap/tiles/0/0/0.png").statusCode(), "the whole plane at zoom 0");
    }

    /** A fetched tile: status, ETag, Cache-Control and the decoded image (null on 304). */
    record Tile(int status, String etag, String cacheControl, BufferedImage image) {
    }

    interface PixelCheck {
        boolean holds(BufferedImage image);
    }

    static Tile fetch(int z, long x, long y, String ifNoneMatch) throws IOException, InterruptedException {
        return fetch(z, x, y, "", ifNoneMatch);
    }

    /** @param query "" or {@code ?hide=...} */
    static Tile fetch(int z, long x, long y, String query, String ifNoneMatch) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port + "/infinitemap/tiles/" + z + "/" + x + "/" + y + ".png" + query));
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        BufferedImage image = null;
        if (response.statusCode() == 200) {
            assertEquals("image/png", response.headers().firstValue("Content-Type").orElse(""));
            image = ImageIO.read(new ByteArrayInputStream(response.body()));
            assertEquals(256, image.getWidth());
            assertEquals(256, image.getHeight());
        }
        return new Tile(response.statusCode(), response.headers().firstValue("ETag").orElse(null),
                response.headers().firstValue("Cache-Control").orElse(""), image);
    }

    /** Asks for a tile until its image passes a check: the manifest is applied shortly after it is written. */
    static Tile awaitDrawn(int z, long x, long y, PixelCheck check) throws InterruptedException {
        return awaitDrawn(z, x, y, "", check);
    }

    static Tile awaitDrawn(int z, long x, long y, String query, PixelCheck check) throws InterruptedException {
        Tile[] last = new Tile[1];
        RuntimeProcess.awaitCondition("tile " + z + "/" + x + "/" + y + query + " drawn", TIMEOUT, () -> {
            last[0] = fetchUnchecked(z, x, y, query, null);
            return last[0].status == 200 && check.holds(last[0].image);
        });
        return last[0];
    }

    /** Asks for a tile with its last ETag until the answer is no longer "not modified". */
    static Tile awaitChanged(int z, long x, long y, String etag) throws InterruptedException {
        return awaitChanged(z, x, y, "", etag);
    }

    static Tile awaitChanged(int z, long x, long y, String query, String etag) throws InterruptedException {
        Tile[] last = new Tile[1];
        RuntimeProcess.awaitCondition("tile " + z + "/" + x + "/" + y + query + " changed", TIMEOUT, () -> {
            last[0] = fetchUnchecked(z, x, y, query, etag);
            return last[0].status != 304;
        });
        return last[0];
    }

    private static Tile fetchUnchecked(int z, long x, long y, String query, String ifNoneMatch) {
        try {
            return fetch(z, x, y, query, ifNoneMatch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static long tile(int z, int cell) {
        return ((long) cell + (1L << 31)) >> (32 - z);
    }

    /** A manifest of cells on row {@link #Y}: pairs of column and brick. */
    static byte[] manifest(Object... columnsAndBricks) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < columnsAndBricks.length; i += 2) {
            out.append(i == 0 ? "" : ",").append('"').append(columnsAndBricks[i]).append(',').append(Y)
                    .append("\":{\"brick\":\"").append(columnsAndBricks[i + 1]).append("\",\"timestamp\":1}");
        }
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A manifest's cells on a layer. */
    static byte[] layered(int layer, byte[] manifest) {
        return ("{\"layer\":" + layer + ",\"tiles\":" + new String(manifest, StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
    }

    static Set<Integer> colours(BufferedImage image, int x0, int y0, int size) {
        Set<Integer> seen = new HashSet<>();
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen;
    }

    static boolean opaque(int argb) {
        return argb >>> 24 == 0xFF;
    }

    /** The plain mean colour of an opaque image. */
    static int meanOf(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        long r = 0;
        long g = 0;
        long b = 0;
        int n = image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                r += (rgb >> 16) & 0xFF;
                g += (rgb >> 8) & 0xFF;
                b += rgb & 0xFF;
            }
        }
        return 0xFF00_0000 | (int) (r / n) << 16 | (int) (g / n) << 8 | (int) (b / n);
    }

    /** Whether two colours are the same within 2 in each channel. */
    static boolean close(int expected, int actual) {
        for (int shift = 0; shift <= 24; shift += 8) {
            if (Math.abs(((expected >>> shift) & 0xFF) - ((actual >>> shift) & 0xFF)) > 2) {
                return false;
            }
        }
        return true;
    }

    static void assertClose(int expected, int actual, String what) {
        assertTrue(close(expected, actual), what + ": expected #" + Integer.toHexString(expected) + ", got #" + Integer.toHexString(actual));
    }
}
