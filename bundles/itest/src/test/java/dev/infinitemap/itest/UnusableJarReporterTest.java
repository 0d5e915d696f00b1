package dev.infinitemap.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.test.common.annotation.InjectService;

/** The daemon's installer claims exactly the jars FileInstall cannot install, once they are still. */
class UnusableJarReporterTest {

    // FileInstall registers an installer of its own (for .cfg files): ask for ours by name.
    @InjectService(filter = "(component.name=dev.infinitemap.daemon.deploy.UnusableJarReporter)")
    ArtifactInstaller installer;

    @TempDir
    Path dir;

    @Test
    void claimsAStillJarThatIsNotAZip() throws IOException {
        File jar = settled(Files.writeString(dir.resolve("broken.jar"), "not a zip"));
        assertThat(installer.canHandle(jar)).isTrue();
    }

    @Test
    void leavesAJarThatIsStillBeingWrittenAlone() throws IOException {
        File jar = Files.writeString(dir.resolve("copying.jar"), "half a zi").toFile();
        assertThat(installer.canHandle(jar)).isFalse();
    }

    @Test
    void leavesRealBundlesToFileInstall() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", "some.bundle");
        Path jar = dir.resolve("bundle.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new ZipEntry("a.txt"));
        }
        assertThat(installer.canHandle(settled(jar))).isFalse();
    }

    @Test
    void leavesOtherFilesAlone() throws IOException {
        assertThat(installer.canHandle(settled(Files.writeString(dir.resolve("x.cfg"), "a=b")))).isFalse();
    }

    private static File settled(Path file) {
        File f = file.toFile();
        assertThat(f.setLastModified(System.currentTimeMillis() - 10_000)).isTrue();
        return f;
    }
}
