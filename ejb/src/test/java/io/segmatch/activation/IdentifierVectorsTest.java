package io.segmatch.activation;

import io.segmatch.activation.identifiers.CustomerIdentifiers;
import io.segmatch.activation.identifiers.Hashing;
import io.segmatch.activation.identifiers.Normalization;
import io.segmatch.datasets.entity.Identifiers;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every vector of the test resource activation/customer-match-hash-vectors.tsv (known
 * normalised and hashed values), plus vectors that the file leaves out: a last name loses its
 * punctuation, NFD input is composed first, phones without a country code take the dataset's
 * region.
 */
class IdentifierVectorsTest {

    static Stream<Arguments> vectors() throws Exception {
        try (var in = new BufferedReader(new InputStreamReader(
                IdentifierVectorsTest.class.getResourceAsStream("/activation/customer-match-hash-vectors.tsv"),
                StandardCharsets.UTF_8))) {
            List<Arguments> rows = in.lines().filter(l -> !l.isBlank())
                    .map(l -> l.split("\t", -1))
                    .map(f -> Arguments.of(f[0], f[1], f[2], f[3])).toList();
            assertEquals(19, rows.size(), "the file's 19 vectors");
            return rows.stream();
        }
    }

    @ParameterizedTest(name = "{0}: [{1}]")
    @MethodSource("vectors")
    void everyVectorOfTheReference(String kind, String raw, String normalized, String sha256) {
        String actual = switch (kind) {
            case "email" -> Normalization.email(raw, true);
            case "email (no gmail canonicalisation)" -> Normalization.email(raw, false);
            case "phone" -> Normalization.phone(raw, null);
            case "name" -> Normalization.firstName(raw);
            case "empty-string sentinel (never send)" -> {
                assertNull(Normalization.email(raw, true));
                assertNull(Normalization.firstName(raw));
                assertNull(Normalization.lastName(raw));
                assertNull(Normalization.phone(raw, "DE"));
                assertThrows(IllegalArgumentException.class, () -> Hashing.sha256(raw), "the empty string is never hashed");
                yield null;
            }
            default -> throw new AssertionError("unknown kind " + kind);
        };
        if (actual == null) {
            return;
        }
        assertEquals(normalized, actual, "normalised");
        assertEquals(sha256, Hashing.sha256(actual), "hashed");
    }

    @Test
    void theReferencesOtherVectors() {
        assertEquals("obrien", Normalization.lastName("O'Brien"));
        assertEquals("b4cb6cb33fe4b865868de825023a1e2790dc12ac01ecc8d7c5afe8254071c8ba",
                Hashing.sha256(Normalization.lastName("O'Brien")));
        assertEquals("doe", Normalization.lastName(" Doe "));
        String nfd = "Zoe\u0308";
        assertEquals("2752b88686847fa5c86f47b94ce652b7b3f22a91c37617d451a4db9afa431450",
                Hashing.sha256(Normalization.firstName(nfd)), "NFD composed to NFC before hashing");
        assertEquals("+18005550100", Normalization.phone("(800)555-0100", "US"));
        assertEquals("fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30",
                Hashing.sha256(Normalization.phone("(800)555-0100", "us")));
        assertEquals("+493012345678", Normalization.phone("030 123456-78", "DE"), "national format, dataset region");
        assertNull(Normalization.phone("030 123456-78", null), "no country code and no region: unusable");
        assertNull(Normalization.phone("12", "DE"), "too short to exist");
        assertEquals("mary ann", Normalization.firstName("  Mary \t Ann "), "inner whitespace collapsed");
        assertNull(Normalization.email("not-an-email", true));
        assertNull(Normalization.email("a@localhost", true));
        assertNull(Normalization.email("+x@gmail.com", true), "nothing left of the local part");
        assertEquals("de", Normalization.countryCode(" de ").toLowerCase());
        assertNull(Normalization.countryCode("Germany"));
    }

    @Test
    void aRowsIdentifiersFollowTheDatasetsRoles() {
        Identifiers roles = new Identifiers();
        roles.setColumn("email", "mail");
        roles.setColumn("phone", "mobile");
        roles.setColumn("firstName", "first");
        roles.setColumn("lastName", "last");
        roles.setColumn("countryCode", "country");
        roles.setColumn("postalCode", "zip");
        roles.setDefaultPhoneRegion("DE");
        Map<String, String> row = new HashMap<>(Map.of("mail", " Dana@Example.com ", "mobile", "030 12345678",
                "first", " John ", "last", "O'Brien", "country", "de", "zip", " 10115 "));
        CustomerIdentifiers ids = CustomerIdentifiers.of(row, roles, true);
        assertEquals("07e2f1394b0ea80e2adca010ea8318df697001a005ba7452720edda4b0ce57b3", ids.hashedEmail());
        assertEquals(Hashing.sha256("+493012345678"), ids.hashedPhoneNumber());
        assertEquals(new CustomerIdentifiers.Address("96d9632f363564cc3032521409cf22a852f2032eec099ed5967c0d000cec607a",
                "b4cb6cb33fe4b865868de825023a1e2790dc12ac01ecc8d7c5afe8254071c8ba", "DE", "10115"), ids.address());
        assertEquals(3, ids.count());

        // an address needs all four parts; an already hashed email passes through lower-cased
        row.remove("zip");
        row.put("mail", "07E2F1394B0EA80E2ADCA010EA8318DF697001A005BA7452720EDDA4B0CE57B3");
        ids = CustomerIdentifiers.of(row, roles, true);
        assertNull(ids.address());
        assertEquals("07e2f1394b0ea80e2adca010ea8318df697001a005ba7452720edda4b0ce57b3", ids.hashedEmail());

        // nothing usable: empty, and the empty string's hash never appears
        ids = CustomerIdentifiers.of(Map.of("mail", "  ", "mobile", "n/a"), roles, true);
        assertTrue(ids.isEmpty());
        assertEquals(0, ids.count());
    }

    /**
     * The stored form written directly (email and phone) is exactly what the JSON builder
     * writes: stored identifiers are compared as text, so a different spelling would make
     * every acknowledged person look changed.
     */
    @Test
    void theStoredFormIsTheBuildersForm() {
        Random random = new Random(20261130);
        Identifiers roles = new Identifiers();
        roles.setColumn("email", "email");
        roles.setColumn("phone", "phone");
        roles.setDefaultPhoneRegion("DE");
        String[] emails = {null, "", "ann@x.de", " Ann.Lee+news@GMail.com ", "no-at-sign", "\u00e9l\u00e8ve@\u00e9cole.fr"};
        String[] phones = {null, "", "+49 30 1234567", "030 1234567", "12", "+1 (650) 253-0000"};
        for (int i = 0; i < 2000; i++) {
            Map<String, String> values = new HashMap<>();
            String email = emails[random.nextInt(emails.length)];
            String phone = phones[random.nextInt(phones.length)];
            if (random.nextInt(4) == 0) {
                email = random.nextInt(1_000_000) + "@example" + random.nextInt(9) + ".com";
            }
            if (email != null) {
                values.put("email", email);
            }
            if (phone != null) {
                values.put("phone", phone);
            }
            CustomerIdentifiers ids = CustomerIdentifiers.of(values, roles, true);
            var b = Json.createObjectBuilder();
            if (ids.hashedEmail() != null) {
                b.add("hashedEmail", ids.hashedEmail());
            }
            if (ids.hashedPhoneNumber() != null) {
                b.add("hashedPhoneNumber", ids.hashedPhoneNumber());
            }
            assertEquals(b.build().toString(), ids.toJson(), values.toString());
            assertEquals(ids, CustomerIdentifiers.fromJson(ids.toJson()));
            // another spelling of the same (as a jsonb round trip writes it) reads the same
            assertEquals(ids, CustomerIdentifiers.fromJson(ids.toJson().replace("\":", "\": ")));
        }
    }
}
