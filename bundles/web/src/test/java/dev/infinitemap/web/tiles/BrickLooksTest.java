package dev.infinitemap.web.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

class BrickLooksTest {

    @Test
    void theAverageWeighsPixelsByTheirOpacity() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xFFFF0000); // opaque red
        image.setRGB(1, 0, 0x000000FF); // invisible blue: no weight
        assertEquals(0x80FF0000, BrickLooks.average(image), "red at half the opacity");
    }

    @Test
    void anInvisibleImageDrawsNothing() {
        assertEquals(0, BrickLooks.average(new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB)));
    }

    @Test
    void thePlaceholderIsTheViewersCssColour() {
        // "a": hash 97, hsl(97, 45%, 42%) is rgb(96, 155, 59) by CSS Color 4's conversion.
        assertEquals(0xFF609B3B, BrickLooks.placeholder("a"));
        // "grass.png": hash -1078750735, whose absolute value the viewer takes too: hsl(295, 45%, 42%).
        assertEquals(0xFF933B9B, BrickLooks.placeholder("grass.png"));
    }
}
