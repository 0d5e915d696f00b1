package dev.infinitemap.daemon.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarCheckTest {

    @TempDir
    Path dir;

    @Test
    void aFileThatIsNotAZipIsNamedAsSuch() throws IOException {
        Path jar = Files.writeString(dir.resolve("text.jar"), "this is not a zip");
        assertTrue(JarCheck.problem(jar).orElseThrow().contains("not a valid jar (zip) file"));
    }

    @Test
    void aJarWithoutManifestIsNotABundle() throws IOException {
        Path jar = dir.resolve("plain.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("a.txt"));
            out.write('a');
        }
        assertTrue(JarCheck.problem(jar).orElseThrow().contains("no META-INF/MANIFEST.MF"));
    }

    @Test
    void aJarWithAPlainManifestIsNotABundle() throws IOException {
        Path jar = writeJar("plain-manifest.jar", new Manifest());
        assertTrue(JarCheck.problem(jar).orElseThrow().contains("no Bundle-SymbolicName"));
    }

    @Test
    void aBundleHasNoProblem() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", "a.bundle");
        assertEquals(Optional.empty(), JarCheck.problem(writeJar("bundle.jar", manifest)));
    }

    private Path writeJar(String name, Manifest manifest) throws IOException {
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new ZipEntry("a.txt"));
            out.write('a');
        }
        return jar;
    }
}
