package dev.infinitemap.daemon.deploy;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.infinitemap.daemon.delta.DaemonThreads;

/**
 * The file system's change events for one folder, on a thread of their own, that outlive the
 * folder: a watch dies with its folder, so when it does, the folder is looked for every
 * {@value #RETURN_MILLIS} ms and watched again once it is back. The listener hears which names
 * changed, that events were lost (the queue overflowed: everything may have changed), and that
 * the folder is a new one.
 */
public final class FolderEvents implements Closeable {

    static final long RETURN_MILLIS = 100;

    /** What happened in the folder. Called on the events thread. */
    public interface Listener {
        /** These names in the folder were created, changed or deleted. */
        void changed(List<Path> names);

        /** Events were lost, or the folder was deleted and made again: anything may have changed. */
        void lost(String why);

        /** The folder, missing when the watch began, is there now (whoever made it saw what it holds). */
        default void appeared() {
        }
    }

    private final Path folder;
    private final WatchService service;
    private final Listener listener;
    private final Thread thread;
    private final boolean watching;

    private FolderEvents(Path folder, WatchService service, Listener listener, String threadName, boolean watching) {
        this.folder = folder;
        this.service = service;
        this.listener = listener;
        this.watching = watching;
        this.thread = DaemonThreads.named(threadName).newThread(this::listen);
    }

    /**
     * @return the folder's events (from when it exists, if it does not yet), or null when its
     *         file system has none (then poll it)
     */
    public static FolderEvents watch(Path folder, Listener listener, String threadName) throws IOException {
        WatchService service;
        boolean watching = true;
        try {
            service = folder.getFileSystem().newWatchService();
        } catch (UnsupportedOperationException e) {
            return null;
        }
        try {
            register(folder, service);
        } catch (NoSuchFileException e) {
            watching = false;
        } catch (IOException | UnsupportedOperationException e) {
            service.close();
            throw e;
        }
        FolderEvents events = new FolderEvents(folder, service, listener, threadName, watching);
        events.thread.start();
        return events;
    }

    private static void register(Path folder, WatchService service) throws IOException {
        folder.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
    }

    @Override
    public void close() throws IOException {
        service.close(); // ends listen()
        thread.interrupt();
    }

    private void listen() {
        try {
            if (!watching) {
                awaitFolder();
                listener.appeared();
            }
            while (true) {
                WatchKey key = service.take();
                List<Path> names = new ArrayList<>();
                boolean overflow = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        overflow = true;
                    } else if (event.context() instanceof Path name) {
                        names.add(name);
                    }
                }
                if (!names.isEmpty()) {
                    listener.changed(names);
                }
                if (overflow) {
                    listener.lost("the file system dropped change events (too many at once)");
                }
                if (!key.reset()) {
                    awaitFolder();
                    listener.lost(folder + " was deleted and made again");
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    // The folder is gone (deleted, moved, unmounted): watch it again once it is back.
    private void awaitFolder() throws InterruptedException {
        while (true) {
            TimeUnit.MILLISECONDS.sleep(RETURN_MILLIS);
            if (Files.isDirectory(folder)) {
                try {
                    register(folder, service);
                    return;
                } catch (IOException e) {
                    // gone again meanwhile: keep looking
                }
            }
        }
    }
}
