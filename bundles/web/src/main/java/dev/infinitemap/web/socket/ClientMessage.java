package dev.infinitemap.web.socket;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import dev.infinitemap.web.HiddenCompositors;

/** A message a client sent: a heartbeat, a camera position or a viewport. Anything else is refused with the reason. */
sealed interface ClientMessage {

    JsonFactory JSON = new JsonFactory();

    /** {@code {"type":"heartbeat",...}}: only keeps the connection alive. */
    record Heartbeat() implements ClientMessage {
    }

    /**
     * {@code {"type":"camera_update","x":..,"y":..,"zoom":..}}, optionally with the old protocol's
     * {@code target_x}, {@code target_y}, {@code target_zoom} (null when absent): shared with the
     * other clients. Units are the old protocol's: world pixels at 100 per cell, and a scale.
     */
    record Camera(double x, double y, double zoom, Double targetX, Double targetY, Double targetZoom) implements ClientMessage {
    }

    /**
     * {@code {"type":"viewport","x0":..,"y0":..,"x1":..,"y1":..}}, optionally with
     * {@code "hide":["name",...]}: from now on, send me the cells of this inclusive rectangle and
     * the changes inside it, as the map shows without the named compositors.
     */
    record View(Viewport viewport) implements ClientMessage {
    }

    /**
     * @throws IllegalArgumentException with a message for the client when it is not a known message
     * @throws IOException when it is not JSON
     */
    static ClientMessage parse(String text) throws IOException {
        String type = null;
        Double x = null;
        Double y = null;
        Double zoom = null;
        Double targetX = null;
        Double targetY = null;
        Double targetZoom = null;
        Double[] bounds = new Double[4]; // x0, y0, x1, y1 of a viewport
        Set<String> hide = Set.of();
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a message must be a JSON object with a \"type\"");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "type" -> type = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "x" -> x = number(parser, value);
                    case "y" -> y = number(parser, value);
                    case "zoom" -> zoom = number(parser, value);
                    case "target_x" -> targetX = number(parser, value);
                    case "target_y" -> targetY = number(parser, value);
                    case "target_zoom" -> targetZoom = number(parser, value);
                    case "x0" -> bounds[0] = number(parser, value);
                    case "y0" -> bounds[1] = number(parser, value);
                    case "x1" -> bounds[2] = number(parser, value);
                    case "y1" -> bounds[3] = number(parser, value);
                    case "hide" -> hide = names(parser, value);
                    default -> parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new IllegalArgumentException("a message must be exactly one JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new IOException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (type == null) {
            throw new IllegalArgumentException("a message needs a string \"type\"");
        }
        return switch (type) {
            case "heartbeat" -> new Heartbeat();
            case "camera_update" -> {
                if (x == null || y == null || zoom == null || !(zoom > 0)) {
                    throw new IllegalArgumentException("camera_update needs finite numbers x, y and zoom, with zoom > 0");
                }
                yield new Camera(x, y, zoom, targetX, targetY, targetZoom);
            }
            case "viewport" -> new View(viewport(bounds, hide));
            default -> throw new IllegalArgumentException("unknown message type \"" + abbreviate(type)
                    + "\"; clients send heartbeat, camera_update and viewport");
        };
    }

    /** A JSON array of compositor names, read up to one more than a viewport may hide. */
    private static Set<String> names(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("hide must be an array of compositor names");
        }
        Set<String> names = new HashSet<>();
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
            if (item != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException("hide must be an array of compositor names (strings)");
            }
            if (names.add(parser.getText()) && names.size() > HiddenCompositors.MAX) {
                throw new IllegalArgumentException("a viewport hides at most " + HiddenCompositors.MAX + " compositors");
            }
        }
        return names;
    }

    private static Viewport viewport(Double[] bounds, Set<String> hide) {
        for (Double bound : bounds) {
            if (bound == null || bound != Math.rint(bound) || bound < Integer.MIN_VALUE || bound > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("viewport needs x0, y0, x1 and y1: whole numbers of 32 bits (cells, inclusive)");
            }
        }
        return new Viewport(bounds[0].intValue(), bounds[1].intValue(), bounds[2].intValue(), bounds[3].intValue(), hide);
    }

    private static Double number(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
            parser.skipChildren();
            return null;
        }
        double number = parser.getDoubleValue();
        return Double.isFinite(number) ? number : null;
    }

    private static String abbreviate(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }
}
