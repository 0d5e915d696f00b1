package dev.infinitemap.daemon.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.infinitemap.daemon.delta.DaemonThreads;

/**
 * Keeps FileInstall's watch on {@code deploy/} alive. FileInstall watches the folder with the
 * file system's change events (its NIO2 scanner), so an idle runtime does not list 10,000 files
 * 50 times a second; but that watch stops for good when the folder is deleted and made again,
 * and it ignores lost events (10,000 files dropped at once overflow the queue). This keeps a
 * watch of its own that outlives the folder and, when either happens, restarts FileInstall:
 * its first scan then sees the folder as it is, installing what is new and removing what is
 * gone. Off when FileInstall polls ({@code felix.fileinstall.disableNio2=true}).
 */
@Component(service = {})
public class FileInstallWatchKeeper {

    static final String FILEINSTALL = "org.apache.felix.fileinstall";
    /** Losses within this time make one restart. */
    static final long SETTLE_MILLIS = 200;

    private final BundleContext context;
    private final Logger log;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("infinitemap-fileinstall-keeper"));
    private final AtomicReference<String> pendingReason = new AtomicReference<>();
    private final FolderEvents events;

    @Activate
    public FileInstallWatchKeeper(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) throws IOException {
        this.context = context;
        this.log = log;
        String dir = context.getProperty("felix.fileinstall.dir");
        boolean polls = Boolean.parseBoolean(context.getProperty("felix.fileinstall.disableNio2"));
        this.events = dir == null || polls ? null : FolderEvents.watch(new File(dir).toPath(), new FolderEvents.Listener() {
            @Override
            public void changed(List<Path> names) {
                // FileInstall sees these itself
            }

            @Override
            public void lost(String why) {
                restartSoon(why);
            }
        }, "infinitemap-deploy-events");
    }

    @Deactivate
    void deactivate() throws IOException {
        if (events != null) {
            events.close();
        }
        restarts.shutdownNow();
    }

    private void restartSoon(String why) {
        if (pendingReason.getAndSet(why) == null) {
            try {
                restarts.schedule(this::restart, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // deactivated
            }
        }
    }

    private void restart() {
        String why = pendingReason.getAndSet(null);
        for (Bundle bundle : context.getBundles()) {
            if (FILEINSTALL.equals(bundle.getSymbolicName()) && bundle.getState() == Bundle.ACTIVE) {
                log.info("FileInstall looks at deploy/ afresh ({}): its own watch would miss what changed.", why);
                try {
                    bundle.stop(Bundle.STOP_TRANSIENT);
                    bundle.start(Bundle.START_TRANSIENT);
                } catch (BundleException | IllegalStateException e) {
                    log.error("Could not restart FileInstall after {}: {}. Changes in deploy/ may go unseen until the runtime restarts.", why, e.toString());
                }
            }
        }
    }
}
