package io.segmatch.activation;

import io.segmatch.shared.secrets.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stored tokens: AES-GCM round trip, a fresh nonce each time, tampering and a wrong key refused, the key file made once. */
class SecretsTest {

    @Test
    void sealsAndOpens(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/secret.key");
        Secrets secrets = Secrets.of(null, file);
        assertTrue(Files.exists(file), "a key is generated on first use");
        byte[] key = Files.readAllBytes(file);
        String token = "1//0gRefreshTokenValue";
        byte[] a = secrets.encrypt(token);
        byte[] b = secrets.encrypt(token);
        assertFalse(Arrays.equals(a, b), "a fresh nonce per value");
        assertFalse(new String(a, StandardCharsets.ISO_8859_1).contains("RefreshToken"), "not stored in clear");
        assertEquals(token, secrets.decrypt(a));
        assertEquals(token, Secrets.of(null, file).decrypt(b), "the same key file is read again, not replaced");
        assertArrayEquals(key, Files.readAllBytes(file));

        byte[] tampered = a.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> secrets.decrypt(tampered));
        byte[] other = new byte[32];
        other[0] = 7;
        Secrets configured = Secrets.of(Base64.getEncoder().encodeToString(other), file);
        assertThrows(IllegalStateException.class, () -> configured.decrypt(a), "another key cannot read it");
        assertNotEquals(token, new String(configured.encrypt(token), StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> Secrets.of(Base64.getEncoder().encodeToString(new byte[16]), file));
    }
}
