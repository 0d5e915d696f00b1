package dev.infinitemap.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The Web Console password of user {@code admin}: the one the user set, or one generated on
 * first start and kept, readable by the owner only, in {@code conf/admin.password}.
 */
final class AdminPassword {

    static final String FILE = "conf/admin.password";

    private final String password;
    private final boolean generated;
    private final Optional<String> warning;

    private AdminPassword(String password, boolean generated, Optional<String> warning) {
        this.password = password;
        this.generated = generated;
        this.warning = warning;
    }

    /**
     * The password to use: the given one (nothing is written), else the stored one, else a new
     * random one that is stored.
     *
     * @throws IllegalArgumentException when the stored password is {@code admin}, which the
     *         environment variable may not be either
     */
    static AdminPassword resolve(Optional<String> given, Path home) throws IOException {
        if (given.isPresent()) {
            return new AdminPassword(given.get(), false, Optional.empty());
        }
        Path file = home.resolve(FILE);
        if (Files.exists(file)) {
            String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (stored.equalsIgnoreCase("admin")) {
                throw new IllegalArgumentException(FILE + " contains \"admin\", the first password anyone tries; put another one"
                        + " in it, or delete it to have one generated");
            }
            if (!stored.isEmpty()) {
                return new AdminPassword(stored, false, readableByOthers(file));
            }
            Files.delete(file);
        }
        String fresh = random();
        store(file, fresh);
        return new AdminPassword(fresh, true, Optional.empty());
    }

    private static Optional<String> readableByOthers(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                return Optional.of(FILE + " can be read by other users (" + PosixFilePermissions.toString(permissions)
                        + "); make it readable by its owner only: chmod 600 " + FILE);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access rules apply
        }
        return Optional.empty();
    }

    /** @return a warning about the stored password's file for the log, if it deserves one */
    Optional<String> warning() {
        return warning;
    }

    private static String random() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // Created with owner-only permissions from the start: there is no moment when others can read it.
    private static void store(Path file, String password) throws IOException {
        Files.createDirectories(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared while the runtime was creating it; start again", e);
        }
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** @return true when this start generated the password, which is then shown once */
    boolean generated() {
        return generated;
    }

    String plain() {
        return password;
    }

    /** @return the password as the Web Console stores it, so the plain text is not a framework property */
    String webConsoleHash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return "{sha-256}" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
