package dev.infinitemap.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminPasswordTest {

    @TempDir
    Path home;

    @Test
    void aGivenPasswordIsUsedAndNothingIsWritten() throws Exception {
        AdminPassword password = AdminPassword.resolve(Optional.of("given"), home);
        assertEquals("given", password.plain());
        assertFalse(password.generated());
        assertFalse(Files.exists(home.resolve(AdminPassword.FILE)));
    }

    @Test
    void aGeneratedPasswordIsStoredOwnerOnlyAndReusedNextTime() throws Exception {
        AdminPassword first = AdminPassword.resolve(Optional.empty(), home);
        assertTrue(first.generated());
        Path file = home.resolve(AdminPassword.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        AdminPassword second = AdminPassword.resolve(Optional.empty(), home);
        assertFalse(second.generated());
        assertEquals(first.plain(), second.plain());
    }

    @Test
    void aStoredAdminIsRefusedAndAStoredFileOthersCanReadIsWarnedAbout() throws Exception {
        Path file = home.resolve(AdminPassword.FILE);
        Files.createDirectories(file.getParent());
        for (String admin : new String[] { "admin\n", " Admin " }) {
            Files.writeString(file, admin);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> AdminPassword.resolve(Optional.empty(), home));
            assertTrue(refused.getMessage().startsWith("conf/admin.password contains \"admin\""), refused.getMessage());
        }
        Files.writeString(file, "long and secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(Optional.of("conf/admin.password can be read by other users (rw-r-----); make it readable by its owner only: chmod 600 conf/admin.password"),
                AdminPassword.resolve(Optional.empty(), home).warning());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertEquals(Optional.empty(), AdminPassword.resolve(Optional.empty(), home).warning());
    }

    @Test
    void twoRuntimesGetDifferentPasswords() throws Exception {
        Path other = Files.createDirectory(home.resolve("other"));
        assertNotEquals(AdminPassword.resolve(Optional.empty(), home).plain(), AdminPassword.resolve(Optional.empty(), other).plain());
    }

    @Test
    void theWebConsoleGetsTheSha256FormNotThePlainText() throws Exception {
        // The Web Console's own default, "admin", hashes to this value.
        assertEquals("{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg=",
                AdminPassword.resolve(Optional.of("admin"), home).webConsoleHash());
    }
}
