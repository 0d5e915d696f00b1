/** The map's WebSocket feed at {@code /infinitemap/ws}. Private. */
package dev.infinitemap.web.socket;
