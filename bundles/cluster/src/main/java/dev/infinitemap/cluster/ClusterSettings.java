package dev.infinitemap.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The cluster's settings, from the framework properties the launcher sets from
 * {@code INFINITEMAP_CLUSTER_*}, plus Kafka client properties (TLS, SASL) from
 * {@code conf/kafka.properties} when that file exists.
 *
 * @param bootstrap Kafka's bootstrap servers
 * @param runtime this runtime's id, stable across restarts
 * @param map the map's name: runtimes of one name share a map, in topic {@code im.<map>}
 * @param onDeath what becomes of this runtime's tiles when it dies or stops
 * @param heartbeatMillis how often this runtime says it is there
 * @param detectionMillis how long a silent runtime is waited for before it counts as gone
 * @param kafka client properties passed through to every Kafka client
 */
record ClusterSettings(String bootstrap, String runtime, String map, RuntimeRecord.OnDeath onDeath, long heartbeatMillis,
        long detectionMillis, Properties kafka) {

    static final String PREFIX = "infinitemap.cluster.";
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * @param property a framework property by name, or null
     * @throws IllegalArgumentException naming the setting and what is wrong with it
     */
    static ClusterSettings read(Function<String, String> property, Path home) {
        String bootstrap = property.apply(PREFIX + "bootstrap");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("INFINITEMAP_CLUSTER_BOOTSTRAP is not set");
        }
        String runtime = name("INFINITEMAP_CLUSTER_RUNTIME_ID", property.apply(PREFIX + "runtime.id"), null);
        String map = name("INFINITEMAP_CLUSTER_MAP", property.apply(PREFIX + "map"), "default");
        String death = orDefault(property.apply(PREFIX + "on.death"), "remove").toUpperCase(Locale.ROOT);
        RuntimeRecord.OnDeath onDeath;
        try {
            onDeath = RuntimeRecord.OnDeath.valueOf(death);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("INFINITEMAP_CLUSTER_ON_DEATH must be remove or keep, not \"" + death.toLowerCase(Locale.ROOT) + "\"");
        }
        long heartbeat = millis("INFINITEMAP_CLUSTER_HEARTBEAT_MILLIS", property.apply(PREFIX + "heartbeat.millis"), 1000);
        long detection = millis("INFINITEMAP_CLUSTER_DETECTION_MILLIS", property.apply(PREFIX + "detection.millis"), 5000);
        if (detection < 2 * heartbeat) {
            throw new IllegalArgumentException("INFINITEMAP_CLUSTER_DETECTION_MILLIS (" + detection
                    + ") must be at least twice INFINITEMAP_CLUSTER_HEARTBEAT_MILLIS (" + heartbeat + "), or a live runtime looks dead");
        }
        return new ClusterSettings(bootstrap.strip(), runtime, map, onDeath, heartbeat, detection, kafkaProperties(home));
    }

    /** @return the topic all runtimes of this map write and read */
    String topic() {
        return "im." + map;
    }

    private static String name(String setting, String value, String fallback) {
        String name = orDefault(value, fallback);
        if (name == null) {
            throw new IllegalArgumentException(setting + " is not set");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(setting + " must be 1 to 64 letters, digits, '.', '_' or '-', not \"" + name + "\"");
        }
        return name;
    }

    private static long millis(String setting, String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long millis = Long.parseLong(value.strip());
            if (millis >= 100) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(setting + " must be a number of milliseconds, at least 100, not \"" + value + "\"");
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static Properties kafkaProperties(Path home) {
        Properties properties = new Properties();
        if (home == null) {
            return properties;
        }
        Path file = home.resolve("conf/kafka.properties");
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
        }
        return properties;
    }
}
