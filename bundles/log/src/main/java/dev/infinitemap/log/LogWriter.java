package dev.infinitemap.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.LoggerFactory;

/**
 * Forwards the OSGi Log Service's entries to the runtime's log (console and {@code log/}), one
 * readable line per entry, named by the bundle that logged it.
 * <p>
 * The OSGi log is where the framework, FileInstall and our bundles report; the Web Console's
 * Log page reads the same entries, so the console and the log file always agree.
 */
// Not a service: it only listens. A component without a service is activated at once.
@Component(service = {}, configurationPid = LogWriter.PID)
@Designate(ocd = LogWriter.Config.class)
public class LogWriter implements LogListener {

    static final String PID = "dev.infinitemap.log";

    @ObjectClassDefinition(name = "InfiniteMap log", description = "What the runtime writes to its log.")
    @interface Config {
        @AttributeDefinition(name = "Level", description = "The least severe level written: ERROR, WARN, INFO, DEBUG or TRACE.")
        LogLevel level() default LogLevel.INFO;
    }

    private final LogReaderService reader;
    private final LoggerAdmin loggerAdmin;
    private final WrittenOnce writtenOnce = new WrittenOnce();
    private volatile boolean stackTraces;

    @Activate
    public LogWriter(@Reference LogReaderService reader, @Reference LoggerAdmin loggerAdmin, Config config) {
        this.reader = reader;
        this.loggerAdmin = loggerAdmin;
        setLevel(config);
        reader.addLogListener(this);
        // Entries logged before this component started (early start-up errors) are in the history.
        List<LogEntry> history = new ArrayList<>(Collections.list(reader.getLog()));
        Collections.reverse(history);
        history.forEach(this::logged);
        writtenOnce.historyOffered(history.stream().mapToLong(LogEntry::getSequence).max().orElse(-1));
    }

    @Modified
    void modified(Config config) {
        setLevel(config);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    private void setLevel(Config config) {
        // The line names every cause; stack traces are for developers who asked for DEBUG.
        // The Web Console's Log page shows them at any level.
        stackTraces = config.level().implies(LogLevel.DEBUG);
        var root = loggerAdmin.getLoggerContext(null);
        root.setLogLevels(Map.of(Logger.ROOT_LOGGER_NAME, config.level()));
    }

    @Override
    public synchronized void logged(LogEntry entry) {
        if (!writtenOnce.isNew(entry.getSequence()) || isFrameworkEventEcho(entry)) {
            return;
        }
        org.slf4j.Logger out = LoggerFactory.getLogger(source(entry.getBundle()));
        String line = LogLines.describe(entry.getMessage(), entry.getException());
        Throwable trace = stackTraces ? entry.getException() : null;
        switch (entry.getLogLevel()) {
            case AUDIT, ERROR -> out.error(line, trace);
            case WARN -> out.warn(line, trace);
            case INFO -> out.info(line, trace);
            case DEBUG -> out.debug(line, trace);
            default -> out.trace(line, trace);
        }
    }

    // The log service echoes every bundle and service event as an entry; lines like
    // "BundleEvent STARTED" for each of thirty bundles say nothing to a reader.
    private static boolean isFrameworkEventEcho(LogEntry entry) {
        String message = entry.getMessage();
        boolean echo = message != null && (message.startsWith("BundleEvent ") || message.startsWith("ServiceEvent ")
                || message.equals("FrameworkEvent STARTLEVEL CHANGED") || message.equals("FrameworkEvent PACKAGES REFRESHED")
                || message.equals("FrameworkEvent STARTED"));
        return echo && entry.getException() == null;
    }

    private static String source(Bundle bundle) {
        if (bundle == null) {
            return "framework";
        }
        String name = bundle.getSymbolicName();
        return name != null ? name : "bundle " + bundle.getBundleId();
    }
}
