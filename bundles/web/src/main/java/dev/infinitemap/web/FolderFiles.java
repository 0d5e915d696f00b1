package dev.infinitemap.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.servlet.http.HttpServletResponse;

/** Files served from one folder of the runtime: never one outside it, whatever the path or a link says. */
public final class FolderFiles {

    private FolderFiles() {
    }

    /**
     * @param folder an absolute, normalised folder
     * @param relative a path inside it, as a request gave it
     * @return the regular file it names inside the folder (a symbolic link only when it stays there), or null
     */
    public static Path inside(Path folder, String relative) throws IOException {
        if (relative.indexOf('\0') >= 0) {
            return null;
        }
        Path file = folder.resolve(relative.replaceFirst("^/+", "")).normalize();
        if (!file.startsWith(folder) || !Files.isRegularFile(file) || !file.toRealPath().startsWith(folder.toRealPath())) {
            return null;
        }
        return file;
    }

    /** Sends the file as the body; the caller has set its type and headers. */
    public static void send(Path file, HttpServletResponse response) throws IOException {
        response.setContentLengthLong(Files.size(file));
        try (OutputStream out = response.getOutputStream()) {
            Files.copy(file, out);
        }
    }
}
