package dev.infinitemap.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This runtime's id in a cluster when INFINITEMAP_CLUSTER_RUNTIME_ID does not give one: made
 * once at random, and kept in {@code conf/runtime.id}, so that a
 * restart is the same runtime again (its new tiles replace its old ones in the shared map).
 */
final class RuntimeId {

    static final String FILE = "conf/runtime.id";

    private RuntimeId() {
    }

    static String of(Path home) throws IOException {
        Path file = home.resolve(FILE);
        if (Files.isRegularFile(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!id.isEmpty()) {
                return id;
            }
        }
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String id = "runtime-" + HexFormat.of().formatHex(random);
        Path written = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), id + "\n", StandardCharsets.UTF_8);
        Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return id;
    }
}
