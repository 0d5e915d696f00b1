package dev.infinitemap.launcher;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends the runtime's log to the console (standard error) and to {@code log/infinitemap.log}.
 * SLF4J Simple, on the launcher's class path and exported to bundles, writes every line.
 */
final class LogSetup {

    static final String LOG_FILE = "log/infinitemap.log";

    private LogSetup() {
    }

    /** Must run before the first logger is created: SLF4J Simple reads its settings once. */
    static void install(Path home) throws IOException {
        Path file = home.resolve(LOG_FILE);
        Files.createDirectories(file.getParent());
        OutputStream log = new FileOutputStream(file.toFile(), true);
        System.setErr(new PrintStream(new Tee(System.err, log), true, StandardCharsets.UTF_8));

        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "false");
        // Jetty and the Web Console are chatty at INFO about their own start-up.
        setDefault("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        setDefault("org.slf4j.simpleLogger.log.org.apache.felix.http", "warn");
        setDefault("org.slf4j.simpleLogger.log.org.apache.felix.webconsole", "warn");
        // The Kafka clients of the cluster bundle print every configuration at info; what a user needs, the bridge says.
        setDefault("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Writes every byte to the console and to the log file. */
    private static final class Tee extends OutputStream {
        private final OutputStream console;
        private final OutputStream file;

        Tee(OutputStream console, OutputStream file) {
            this.console = console;
            this.file = file;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            console.write(b);
            file.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            console.write(b, off, len);
            file.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws IOException {
            console.flush();
            file.flush();
        }
    }
}
