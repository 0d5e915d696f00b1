package dev.infinitemap.daemon.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Refuses a second jar of a bundle that is already installed from another file (same symbolic
 * name and version). FileInstall would adopt the installed bundle for the second file, so
 * deleting the copy uninstalled the original's bundle though its jar was still there. Among
 * jars of one bundle in {@code deploy/}, the installed one wins, else the first by file name.
 * The copy is claimed here (FileInstall asks registered installers before its own bundle
 * installer), logged with both files, and deleting it touches nothing else.
 */
@Component
public class DuplicateJarGuard implements ArtifactInstaller {

    /** A bundle's identity as its jar states it. */
    record Identity(String symbolicName, Version version) {
        static Optional<Identity> of(File jar) {
            try (JarFile file = new JarFile(jar)) {
                Manifest manifest = file.getManifest();
                Attributes main = manifest == null ? null : manifest.getMainAttributes();
                String name = main == null ? null : main.getValue(Constants.BUNDLE_SYMBOLICNAME);
                if (name == null) {
                    return Optional.empty();
                }
                return Optional.of(new Identity(name.split(";", 2)[0].strip(), Version.parseVersion(main.getValue(Constants.BUNDLE_VERSION))));
            } catch (IOException | IllegalArgumentException | SecurityException e) {
                return Optional.empty(); // not a bundle: someone else's to explain
            }
        }

        boolean is(Bundle bundle) {
            return symbolicName.equals(bundle.getSymbolicName()) && version.equals(bundle.getVersion());
        }
    }

    private final BundleContext context;
    private final Logger log;

    @Activate
    public DuplicateJarGuard(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.log = log;
    }

    @Override
    public boolean canHandle(File file) {
        return file.getName().endsWith(".jar") && file.isFile() && original(file).isPresent();
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
        log.info("deploy/{} removed; it had not been installed (a copy of a bundle installed from another file), so nothing else changes.",
                file.getName());
    }

    private void report(File file) {
        original(file).ifPresent(original -> log.error("deploy/{} was not installed: it holds the same bundle ({}) as {}, which is installed. "
                + "Remove one of the two files; removing this one leaves the other running.", file.getName(), identity(file), original));
    }

    private String identity(File file) {
        return Identity.of(file).map(i -> i.symbolicName() + " " + i.version()).orElse("?");
    }

    /** @return where the bundle this jar holds is already installed from, if that is another file */
    private Optional<String> original(File file) {
        Optional<Identity> identity = Identity.of(file);
        if (identity.isEmpty()) {
            return Optional.empty();
        }
        Path path = file.toPath().toAbsolutePath().normalize();
        Optional<String> elsewhere = Optional.empty();
        for (Bundle bundle : context.getBundles()) {
            if (identity.get().is(bundle)) {
                if (LastGoodJars.file(bundle.getLocation()).filter(path::equals).isPresent()) {
                    return Optional.empty(); // this file is the installed one (or its last good copy)
                }
                elsewhere = Optional.of(describe(bundle.getLocation()));
            }
        }
        if (elsewhere.isPresent()) {
            return elsewhere;
        }
        // None installed yet (both found in one scan): the first by file name is the original.
        File[] siblings = file.getParentFile() == null ? null : file.getParentFile().listFiles((dir, name) -> name.endsWith(".jar"));
        return Arrays.stream(siblings == null ? new File[0] : siblings)
                .filter(other -> other.getName().compareTo(file.getName()) < 0 && Identity.of(other).equals(identity))
                .map(other -> "deploy/" + other.getName()).sorted().findFirst();
    }

    private static String describe(String location) {
        location = location.replace(LastGoodJars.RESTORED, "");
        int slash = location.lastIndexOf("/deploy/");
        return slash >= 0 ? location.substring(slash + 1) : location;
    }
}
