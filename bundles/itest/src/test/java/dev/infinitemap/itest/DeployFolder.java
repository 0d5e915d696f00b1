package dev.infinitemap.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.osgi.framework.BundleContext;

/** FileInstall's folder of the test framework, written the atomic way unless a test says otherwise. */
record DeployFolder(Path path) {

    static DeployFolder of(BundleContext context) throws IOException {
        return new DeployFolder(Files.createDirectories(Path.of(context.getProperty("felix.fileinstall.dir"))));
    }

    Path resolve(String name) {
        return path.resolve(name);
    }

    /** Writes the file beside the folder and renames it in, so no reader sees it half-written. */
    void write(String name, String content) throws IOException {
        Path staging = path.resolveSibling(name + ".part");
        Files.writeString(staging, content, StandardCharsets.UTF_8);
        Files.move(staging, path.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void delete(String name) throws IOException {
        Files.delete(path.resolve(name));
    }
}
