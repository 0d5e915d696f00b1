package dev.infinitemap.daemon.delta;

import java.util.concurrent.ThreadFactory;

/** Names the daemon's threads so a thread dump says whose they are; none keeps the JVM alive. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** @return a factory of daemon threads with this name */
    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
