package dev.infinitemap.launcher;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the Felix framework's own messages (resolver errors, event dispatch failures) to the
 * runtime's log instead of bare "ERROR:" lines on standard output.
 */
final class FrameworkLogger extends org.apache.felix.framework.Logger {

    private final Logger log = LoggerFactory.getLogger("org.apache.felix.framework");

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        String text = bundle == null ? msg : msg + " (bundle " + bundle.getSymbolicName() + " [" + bundle.getBundleId() + "])";
        if (throwable instanceof BundleException) {
            // Its message names the missing requirement or the activator's error; the framework's
            // stack below it helps nobody.
            text = text + ": " + throwable.getMessage();
            throwable = null;
        }
        switch (level) {
            case LOG_ERROR -> log.error(text, throwable);
            case LOG_WARNING -> log.warn(text, throwable);
            case LOG_INFO -> log.info(text, throwable);
            default -> log.debug(text, throwable);
        }
    }
}
