package dev.infinitemap.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OriginsTest {

    @Test
    void aCommaListAnArrayAndAListAllGiveTheSameOrigins() {
        List<String> expected = List.of("http://a.example", "https://b.example:8443");
        assertEquals(expected, Origins.parse("http://a.example, https://B.example:8443/"));
        assertEquals(expected, Origins.parse(new String[] { "http://a.example", "https://b.example:8443" }));
        assertEquals(expected, Origins.parse(new String[] { "http://a.example,https://b.example:8443" }));
        assertEquals(expected, Origins.parse(List.of("http://a.example", " https://b.example:8443 ")));
        assertEquals(List.of(), Origins.parse(null));
        assertEquals(List.of(), Origins.parse(" , "));
    }

    @Test
    void pagesOfTheRuntimeConfiguredOriginsAndProgramsAreAllowed() {
        Origins origins = new Origins(null, Map.of("allowedOrigins", "http://a.example,http://b.example"));
        assertTrue(origins.allows(null, "127.0.0.1:8080"), "no Origin: a program");
        assertTrue(origins.allows("http://127.0.0.1:8080", "127.0.0.1:8080"), "the runtime's own page");
        assertTrue(origins.allows("http://b.example", "127.0.0.1:8080"), "the second of a comma list");
        assertTrue(origins.allows("HTTP://A.EXAMPLE", "127.0.0.1:8080"), "origins compare without case");
        assertFalse(origins.allows("http://c.example", "127.0.0.1:8080"));
        assertFalse(origins.allows("http://127.0.0.1:9999", "127.0.0.1:8080"), "another port is another origin");
        assertFalse(origins.any());
        Origins any = new Origins(null, Map.of("allowedOrigins", new String[] { "*" }));
        assertTrue(any.allows("http://c.example", "127.0.0.1:8080"));
        assertTrue(any.any());
    }
}
