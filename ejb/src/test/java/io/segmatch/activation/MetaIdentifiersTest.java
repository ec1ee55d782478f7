package io.segmatch.activation;

import io.segmatch.activation.identifiers.MetaIdentifiers;
import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.IdentifierSettings;
import io.segmatch.datasets.entity.Identifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Meta's normalisation and hashing per key: Meta's own vectors (an email and a phone), and
 * the rules where Meta differs from Google — phone digits without {@code +}, names as letters
 * only, the country lower-cased and hashed, US ZIP codes cut to five digits, no Gmail
 * canonicalisation.
 */
class MetaIdentifiersTest {

    static final String MARY_EMAIL = "f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79";
    static final String PHONE_15559876543 = "1ef970831d7963307784fa8688e8fce101a15685d62aa765fed23f3a2c576a4e";

    static Identifiers roles(String defaultRegion) {
        Identifiers roles = new Identifiers();
        roles.setColumn("email", "e");
        roles.setColumn("phone", "p");
        roles.setColumn("firstName", "fn");
        roles.setColumn("lastName", "ln");
        roles.setColumn("postalCode", "zip");
        roles.setColumn("countryCode", "c");
        roles.setDefaultPhoneRegion(defaultRegion);
        return roles;
    }

    static Map<String, String> row(String... pairs) {
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put(pairs[i], pairs[i + 1]);
        }
        return row;
    }

    @Test
    void metasOwnVectors() {
        MetaIdentifiers ids = MetaIdentifiers.of(row("e", "  Mary@Example.COM ", "p", "+1 (555) 987-6543"), roles(null));
        assertEquals(MARY_EMAIL, ids.email());
        assertEquals(PHONE_15559876543, ids.phone(), "the country code and digits, without +");
        assertEquals(List.of(MARY_EMAIL, PHONE_15559876543, "", "", "", ""), ids.row(), "blank for keys without a value");
        assertEquals(List.of("EMAIL", "PHONE", "FN", "LN", "ZIP", "COUNTRY"), MetaIdentifiers.SCHEMA);
    }

    @Test
    void everyKeyOfAFullRow() {
        MetaIdentifiers ids = MetaIdentifiers.of(row("e", "mary@example.com", "p", "0170 1234567", "fn", " Mary ",
                "ln", "O'Brien-Smith", "zip", "SW1A 1AA", "c", "gb"), roles("DE"));
        assertEquals(List.of(MARY_EMAIL,
                "8b47a52ed04d068c3a9c5632b98cec18780a9f9f4099d4f8afe233970ce116fe", // 491701234567: read in the default region DE
                "6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec", // mary
                "16765783f9c8c8a3accf27f1abb877688cb5904c21a4a7afb5f125bcfcb246ba", // obriensmith
                "830e1d4b9838bab1f5c2acdb23e0b502ff13a9832c4632e8d67a1d43d3b7f614", // sw1a1aa
                "0b407281768f0e833afef47ed464b6571d01ca4d53c12ce5c51d1462f4ad6677"), // gb
                ids.row());
    }

    @ParameterizedTest(name = "{0}: [{1}] -> [{2}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "email|John.Doe+ads@gmail.com|john.doe+ads@gmail.com",
            "email|no-at-sign|NULL",
            "name|O'Brien-Smith|obriensmith",
            "name|Mary Ann|maryann",
            "name|Jose\u0301|jos\u00e9",
            "name|Σοφία|σοφία",
            "name|-- 42 --|NULL",
            "zip us|94105-1234|94105",
            "zip us|94105|94105",
            "zip|94105-1234|94105",
            "zip gb|SW1A 1AA|sw1a1aa",
            "zip de|10115|10115",
            "country|US|us",
            "country|USA|NULL",
            "phone de|030 1234567|49301234567",
            "phone|+49 (0)30 1234567|49301234567",
            "phone|030 1234567|NULL"})
    void normalisation(String kind, String raw, String expected) {
        String actual = switch (kind) {
            case "email" -> MetaIdentifiers.email(raw);
            case "name" -> MetaIdentifiers.name(raw);
            case "zip" -> MetaIdentifiers.zip(raw, null);
            case "zip us" -> MetaIdentifiers.zip(raw, "us");
            case "zip gb" -> MetaIdentifiers.zip(raw, "gb");
            case "zip de" -> MetaIdentifiers.zip(raw, "de");
            case "country" -> MetaIdentifiers.country(raw);
            case "phone de" -> MetaIdentifiers.phone(raw, "DE");
            case "phone" -> MetaIdentifiers.phone(raw, null);
            default -> throw new IllegalArgumentException(kind);
        };
        assertEquals(expected, actual);
    }

    @Test
    void aHashAlreadyMadeIsSentAsItIsAndAnEmptyRowIsEmpty() {
        MetaIdentifiers ids = MetaIdentifiers.of(row("e", MARY_EMAIL.toUpperCase()), roles(null));
        assertEquals(MARY_EMAIL, ids.email());
        MetaIdentifiers none = MetaIdentifiers.of(row("e", " ", "fn", "!!", "c", "Germany"), roles(null));
        assertTrue(none.isEmpty(), "nothing usable: never sent");
        assertNull(none.country());
    }

    /** What the sync stores and sends for Meta: the schema's values, then the row's key as EXTERN_ID when configured. */
    @Test
    void theStoredRowAndTheKeyAsExternId() {
        IdentifierSettings plain = new IdentifierSettings(true, false);
        IdentifierSettings withKey = new IdentifierSettings(true, true);
        Map<String, String> mary = row("e", "Mary@Example.com");
        assertEquals("[\"" + MARY_EMAIL + "\",\"\",\"\",\"\",\"\",\"\"]",
                Destination.META.identifiers("c-17", mary, roles(null), plain));
        String withExtern = Destination.META.identifiers(" c-17 ", mary, roles(null), withKey);
        assertEquals(List.of(MARY_EMAIL, "", "", "", "", "", "c-17"), Destination.metaRow(withExtern),
                "the key as it is, not hashed, after the schema's keys");
        assertEquals(List.of("EMAIL", "PHONE", "FN", "LN", "ZIP", "COUNTRY", "EXTERN_ID"), Destination.META_SCHEMA_WITH_EXTERN_ID);
        Map<String, String> countryOnly = row("c", "DE", "zip", "10115");
        assertNull(Destination.META.identifiers("c-18", countryOnly, roles(null), plain), "a country and postcode match nobody");
        List<String> hashed = MetaIdentifiers.of(countryOnly, roles(null)).row();
        assertEquals(List.of("", "", "", "", hashed.get(4), hashed.get(5), "c-18"),
                Destination.metaRow(Destination.META.identifiers("c-18", countryOnly, roles(null), withKey)),
                "with its key the row can be matched");
        assertEquals(64, hashed.get(5).length(), "the country hashed");
        assertNull(Destination.META.identifiers("c-19", row("fn", "Mary"), roles(null), plain), "a first name alone is not enough");
        assertTrue(Destination.META.identifiers("c-20", row("fn", "Mary", "ln", "Smith"), roles(null), plain) != null,
                "both names are");
    }
}
