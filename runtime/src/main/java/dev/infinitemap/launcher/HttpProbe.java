package dev.infinitemap.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Asks the runtime's own HTTP server for a page, with a plain socket: the launcher should not
 * spend start-up time loading an HTTP client to learn one status line.
 */
final class HttpProbe {

    private HttpProbe() {
    }

    /** @return the HTTP status of {@code GET path}, or -1 when nothing answers */
    static int status(String host, int port, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n' && statusLine.length() < 200; c = in.read()) {
                statusLine.append((char) c);
            }
            String[] parts = statusLine.toString().split(" ");
            return parts.length >= 2 ? Integer.parseInt(parts[1]) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
