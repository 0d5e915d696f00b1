package dev.infinitemap.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The runtime's settings. Each is an environment variable such as
 * {@code INFINITEMAP_HTTP_PORT}, or a system property of the same name in lower case with dots,
 * {@code -Dinfinitemap.http.port}; the system property wins when both are set.
 */
record Settings(Path home, String httpHost, int httpPort, Optional<String> adminPassword, OptionalInt legacyPort, Optional<Path> legacyWeb,
        Map<String, String> cluster) {

    /** The cluster settings, passed on as framework properties of the same name in lower case with dots; the cluster bundle checks them. */
    static final List<String> CLUSTER = List.of("INFINITEMAP_CLUSTER_BOOTSTRAP", "INFINITEMAP_CLUSTER_RUNTIME_ID", "INFINITEMAP_CLUSTER_MAP",
            "INFINITEMAP_CLUSTER_ON_DEATH", "INFINITEMAP_CLUSTER_HEARTBEAT_MILLIS", "INFINITEMAP_CLUSTER_DETECTION_MILLIS");

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
        int port = port("INFINITEMAP_HTTP_PORT", lookup("INFINITEMAP_HTTP_PORT", environment, systemProperties).orElse(String.valueOf(DEFAULT_PORT)));
        Optional<String> legacyText = lookup("INFINITEMAP_LEGACY_PORT", environment, systemProperties).filter(text -> !text.isBlank());
        OptionalInt legacyPort = legacyText.isPresent() ? OptionalInt.of(port("INFINITEMAP_LEGACY_PORT", legacyText.get())) : OptionalInt.empty();
        if (legacyPort.isPresent() && legacyPort.getAsInt() == port) {
            throw new IllegalArgumentException("INFINITEMAP_LEGACY_PORT must differ from INFINITEMAP_HTTP_PORT (both " + port + ")");
        }
        Optional<Path> legacyWeb = lookup("INFINITEMAP_LEGACY_WEB", environment, systemProperties).filter(text -> !text.isBlank())
                .map(text -> Path.of(text).toAbsolutePath().normalize());
        if (legacyWeb.isPresent() && legacyPort.isEmpty()) {
            throw new IllegalArgumentException("INFINITEMAP_LEGACY_WEB is served on the Geometry OS port: set INFINITEMAP_LEGACY_PORT too");
        }
        if (legacyWeb.isPresent() && !java.nio.file.Files.isDirectory(legacyWeb.get())) {
            throw new IllegalArgumentException("INFINITEMAP_LEGACY_WEB must be a folder, and " + legacyWeb.get() + " is none");
        }
        Optional<String> password = lookup("INFINITEMAP_ADMIN_PASSWORD", environment, systemProperties);
        if (password.isPresent() && password.get().isEmpty()) {
            throw new IllegalArgumentException("INFINITEMAP_ADMIN_PASSWORD is set but empty");
        }
        if (password.isPresent() && password.get().equals("admin")) {
            throw new IllegalArgumentException("INFINITEMAP_ADMIN_PASSWORD must not be \"admin\": that is the first password anyone tries");
        }
        Map<String, String> cluster = new TreeMap<>();
        if (lookup(CLUSTER.get(0), environment, systemProperties).filter(text -> !text.isBlank()).isPresent()) {
            for (String variable : CLUSTER) {
                lookup(variable, environment, systemProperties).filter(text -> !text.isBlank())
                        .ifPresent(value -> cluster.put(property(variable), value.strip()));
            }
        }
        return new Settings(home.toAbsolutePath().normalize(), host, port, password, legacyPort, legacyWeb, Map.copyOf(cluster));
    }

    private static int port(String variable, String text) {
        int port;
        try {
            port = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a port number, not \"" + text + "\"");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(variable + " must be between 1 and 65535, not " + port);
        }
        return port;
    }

    private static Optional<String> lookup(String variable, Map<String, String> environment, Map<?, ?> systemProperties) {
        Object property = systemProperties.get(property(variable));
        if (property != null) {
            return Optional.of(property.toString());
        }
        return Optional.ofNullable(environment.get(variable));
    }

    static String property(String variable) {
        return variable.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** @return whether this runtime shares its map with others (INFINITEMAP_CLUSTER_BOOTSTRAP is set) */
    boolean clustered() {
        return !cluster.isEmpty();
    }

    /** @return the host a local client connects to: the loopback address when bound to all interfaces */
    String clientHost() {
        return httpHost.equals("0.0.0.0") || httpHost.equals("::") || httpHost.isEmpty() ? "127.0.0.1" : httpHost;
    }

    /** @return the base URL of the HTTP server, for people */
    String baseUrl() {
        return url("http", httpPort);
    }

    /** @return the URL of a listener on this host, for people */
    String url(String scheme, int port) {
        String host = clientHost();
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
