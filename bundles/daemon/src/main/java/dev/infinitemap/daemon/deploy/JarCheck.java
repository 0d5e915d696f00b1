package dev.infinitemap.daemon.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

/**
 * Tells why a jar cannot be installed as an OSGi bundle, in words a user can act on.
 */
final class JarCheck {

    private JarCheck() {
    }

    /**
     * @param jar the file
     * @return why it is not an installable bundle, or empty when it is one
     */
    static Optional<String> problem(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return Optional.of("it has no META-INF/MANIFEST.MF, so it is not an OSGi bundle");
            }
            Attributes main = manifest.getMainAttributes();
            if (main.getValue("Bundle-SymbolicName") == null) {
                return Optional.of("its manifest has no Bundle-SymbolicName header, so it is not an OSGi bundle");
            }
            return Optional.empty();
        } catch (ZipException e) {
            return Optional.of("it is not a valid jar (zip) file" + reason(e));
        } catch (IOException | SecurityException e) {
            return Optional.of("it cannot be read" + reason(e));
        }
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
    }
}
