package io.segmatch.access;

import io.segmatch.access.control.PasswordHash;
import io.segmatch.access.control.Role;
import io.segmatch.access.control.Tokens;
import io.segmatch.access.control.Usernames;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Password hashes, tokens, roles and usernames: the plain logic of access control. */
class PasswordHashTest {

    @Test
    void aHashNamesItsAlgorithmAndIterationsAndIsSalted() {
        String hash = PasswordHash.hash("correct horse battery");
        String[] parts = hash.split(":");
        assertEquals("PBKDF2WithHmacSHA512", parts[0]);
        assertEquals(210_000, Integer.parseInt(parts[1]));
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length, "16 bytes of salt");
        assertEquals(64, Base64.getDecoder().decode(parts[3]).length, "512 bits of key");
        assertNotEquals(hash, PasswordHash.hash("correct horse battery"), "a fresh salt each time");
        assertTrue(PasswordHash.verify("correct horse battery", hash));
        assertFalse(PasswordHash.verify("correct horse batterY", hash));
        assertFalse(PasswordHash.verify("", hash));
        assertFalse(PasswordHash.verify("x", "not a hash"));
    }

    @Test
    void anOlderIterationCountStillVerifies() throws Exception {
        byte[] salt = new byte[16];
        var spec = new PBEKeySpec("s3cret-password".toCharArray(), salt, 1000, 512);
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
        var b64 = Base64.getEncoder();
        String stored = "PBKDF2WithHmacSHA512:1000:" + b64.encodeToString(salt) + ":" + b64.encodeToString(key);
        assertTrue(PasswordHash.verify("s3cret-password", stored));
        assertFalse(PasswordHash.verify("s3cret-passwore", stored));
    }

    @Test
    void aPasswordHasTwelveCharactersAtLeast() {
        assertEquals("must be at least 12 characters long", PasswordHash.weakness("elevenchars"));
        assertNull(PasswordHash.weakness("twelve chars"));
        assertEquals("must be at least 12 characters long", PasswordHash.weakness(null));
        // characters, not UTF-16 units: 11 emoji are 22 chars in Java but still 11 characters
        assertEquals("must be at least 12 characters long", PasswordHash.weakness("😀".repeat(11)));
    }

    @Test
    void tokensAreRandom256BitsAndOnlyTheirDigestIsKept() {
        String a = Tokens.newToken();
        String b = Tokens.newToken();
        assertNotEquals(a, b);
        assertTrue(a.startsWith("smt_"));
        assertEquals(32, Base64.getUrlDecoder().decode(a.substring(4)).length, "256 random bits");
        assertTrue(Tokens.plausible(a));
        assertFalse(Tokens.plausible(a.substring(1)));
        assertFalse(Tokens.plausible("smt_" + "!".repeat(43)));
        assertEquals(32, Tokens.sha256(a).length);
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                HexFormat.of().formatHex(Tokens.sha256("abc")), "SHA-256 of the FIPS test vector");
    }

    @Test
    void eachRoleIncludesTheLowerOnes() {
        assertEquals(List.of("viewer"), Role.VIEWER.groups());
        assertEquals(List.of("viewer", "editor"), Role.EDITOR.groups());
        assertEquals(List.of("viewer", "editor", "admin"), Role.ADMIN.groups());
        assertEquals(Role.EDITOR, Role.ADMIN.atMost(Role.EDITOR));
        assertEquals(Role.VIEWER, Role.VIEWER.atMost(Role.ADMIN));
        assertTrue(Role.ADMIN.includes(Role.VIEWER));
        assertFalse(Role.EDITOR.includes(Role.ADMIN));
        assertTrue(Role.of("Admin").isEmpty(), "role names are exact");
    }

    @Test
    void usernamesAreShortPlainAndCaseInsensitive() {
        assertTrue(Usernames.valid("Ann.Lee@example.com"));
        assertFalse(Usernames.valid(""));
        assertFalse(Usernames.valid("a".repeat(65)));
        assertFalse(Usernames.valid("ann lee"));
        assertFalse(Usernames.valid("ann'--"));
        assertEquals("ann.lee@example.com", Usernames.normalize("Ann.Lee@Example.COM"));
    }
}
