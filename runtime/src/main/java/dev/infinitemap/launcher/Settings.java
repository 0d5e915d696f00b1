package dev.infinitemap.launcher;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The runtime's settings. Each is an environment variable such as
 * {@code INFINITEMAP_HTTP_PORT}, or a system property of the same name in lower case with dots,
 * {@code -Dinfinitemap.http.port}; the system property wins when both are set.
 */
record Settings(Path home, String httpHost, int httpPort, Optional<String> adminPassword) {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 8080;

    /**
     * Reads the settings.
     *
     * @throws IllegalArgumentException naming the setting and what is wrong with it
     */
    static Settings read(Map<String, String> environment, Map<?, ?> systemProperties, Path defaultHome) {
        Path home = lookup("INFINITEMAP_HOME", environment, systemProperties).map(Path::of).orElse(defaultHome);
        String host = lookup("INFINITEMAP_HTTP_HOST", environment, systemProperties).orElse(DEFAULT_HOST);
        String portText = lookup("INFINITEMAP_HTTP_PORT", environment, systemProperties).orElse(String.valueOf(DEFAULT_PORT));
        int port;
        try {
            port = Integer.parseInt(portText.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("INFINITEMAP_HTTP_PORT must be a port number, not \"" + portText + "\"");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("INFINITEMAP_HTTP_PORT must be between 1 and 65535, not " + port);
        }
        Optional<String> password = lookup("INFINITEMAP_ADMIN_PASSWORD", environment, systemProperties);
        if (password.isPresent() && password.get().isEmpty()) {
            throw new IllegalArgumentException("INFINITEMAP_ADMIN_PASSWORD is set but empty");
        }
        if (password.isPresent() && password.get().equals("admin")) {
            throw new IllegalArgumentException("INFINITEMAP_ADMIN_PASSWORD must not be \"admin\": that is the first password anyone tries");
        }
        return new Settings(home.toAbsolutePath().normalize(), host, port, password);
    }

    private static Optional<String> lookup(String variable, Map<String, String> environment, Map<?, ?> systemProperties) {
        Object property = systemProperties.get(variable.toLowerCase(Locale.ROOT).replace('_', '.'));
        if (property != null) {
            return Optional.of(property.toString());
        }
        return Optional.ofNullable(environment.get(variable));
    }

    /** @return the host a local client connects to: the loopback address when bound to all interfaces */
    String clientHost() {
        return httpHost.equals("0.0.0.0") || httpHost.equals("::") || httpHost.isEmpty() ? "127.0.0.1" : httpHost;
    }

    /** @return the base URL of the HTTP server, for people */
    String baseUrl() {
        String host = clientHost();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + httpPort;
    }
}
