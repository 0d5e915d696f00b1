package dev.infinitemap.daemon.deploy;

import java.io.File;
import java.util.Optional;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Says clearly why a jar in {@code deploy/} is not installed.
 * <p>
 * FileInstall skips a jar that is not a zip or has no OSGi manifest without a word and retries
 * it on every scan. This installer claims exactly those jars (FileInstall asks registered
 * installers before its own bundle installer), logs one line naming the file and the reason,
 * and gives the file back as soon as it becomes a real bundle.
 */
@Component
public class UnusableJarReporter implements ArtifactInstaller {

    /** A jar changed this recently may still be being copied; judge it when it is still. */
    static final long SETTLE_MILLIS = 2000;

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Override
    public boolean canHandle(File file) {
        if (!file.getName().endsWith(".jar") || !file.isFile()) {
            return false;
        }
        boolean settled = System.currentTimeMillis() - file.lastModified() >= SETTLE_MILLIS;
        return settled && JarCheck.problem(file.toPath()).isPresent();
    }

    @Override
    public void install(File file) {
        report(file);
    }

    @Override
    public void update(File file) {
        report(file);
    }

    @Override
    public void uninstall(File file) {
        if (file.exists()) {
            // The file was replaced by a real bundle. FileInstall drops an artifact whose
            // installer lets go of it without offering it to the next one, and would not look
            // at the file again until it changes: touch it so the next scan installs it.
            log.info("deploy/{} is now a valid bundle; installing it.", file.getName());
            file.setLastModified(System.currentTimeMillis());
        }
    }

    private void report(File file) {
        Optional<String> problem = JarCheck.problem(file.toPath());
        problem.ifPresent(reason -> log.error("deploy/{} was not installed: {}.", file.getName(), reason));
    }
}
