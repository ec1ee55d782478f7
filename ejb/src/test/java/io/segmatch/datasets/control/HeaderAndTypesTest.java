package io.segmatch.datasets.control;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Identifiers;
import io.segmatch.shared.error.SegmatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Header rules, the key column guess, type conformance and inference, identifier guessing. */
class HeaderAndTypesTest {

    @Test
    void headerNamesAreTrimmed() {
        assertEquals(List.of("id", "name"), HeaderRules.header(new String[]{" id ", "name\t"}, 1));
    }

    @Test
    void emptyHeaderNameRejectsTheUploadNamingTheColumn() {
        var e = assertThrows(SegmatchException.class, () -> HeaderRules.header(new String[]{"id", " ", "x"}, 1));
        assertEquals("invalid-header", e.type());
        assertEquals("header[2]", e.errors().get(0).field());
    }

    @Test
    void duplicateHeaderNamesIgnoringCaseRejectTheUploadWithTheNames() {
        var e = assertThrows(SegmatchException.class, () -> HeaderRules.header(new String[]{"id", "Email", "EMAIL"}, 1));
        assertTrue(e.getMessage().contains("'EMAIL' repeats column 2 'Email'"), e.getMessage());
    }

    @Test
    void aFirstLineOfValuesIsNotAHeader() {
        var e = assertThrows(SegmatchException.class,
                () -> HeaderRules.header(new String[]{"17", "ann@example.com", "2024-01-01"}, 1));
        assertEquals("no-header", e.type());
        assertEquals(List.of("id", "2024"), HeaderRules.header(new String[]{"id", "2024"}, 1), "one number is fine");
    }

    @Test
    void keyColumnGivenOrGuessed() {
        List<String> header = List.of("Name", "EMAIL", "Customer_ID");
        assertEquals(1, HeaderRules.keyColumn(header, null), "the first such column in file order");
        assertEquals(1, HeaderRules.keyColumn(List.of("name", "ID", "email"), null));
        assertEquals(0, HeaderRules.keyColumn(header, "name"));
        var unknown = assertThrows(SegmatchException.class, () -> HeaderRules.keyColumn(header, "nope"));
        assertTrue(unknown.getMessage().contains("Name, EMAIL, Customer_ID"));
        var none = assertThrows(SegmatchException.class, () -> HeaderRules.keyColumn(List.of("a", "b"), null));
        assertEquals("no-key-column", none.type());
        assertTrue(none.getMessage().contains("a, b"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "number|42|true", "number|-3.5|true", "number|0.25|true", "number|1e3|true", "number|1.5E-7|true",
            "number|+49301234|false", "number|007|false", "number|1,000|false", "number|12,5|false", "number|0|true",
            "number|-0.5|true", "number|.5|false", "number|5.|false",
            "boolean|TRUE|true", "boolean|no|true", "boolean|Yes|true", "boolean|1|false", "boolean|y|false",
            "date|2026-03-01|true", "date|2026-02-30|false", "date|2026-3-1|false", "date|01.03.2026|false",
            "timestamp|2026-03-01T10:15:00Z|true", "timestamp|2026-03-01 10:15|true",
            "timestamp|2026-03-01T10:15:00.123+02:00|true", "timestamp|2026-03-01T25:00|false",
            "timestamp|2026-03-01|false"})
    void conformance(String type, String value, boolean conforms) {
        assertEquals(conforms, ColumnType.fromApiName(type).orElseThrow().conforms(value));
    }

    @Test
    void inferenceTakesTheFirstTypeEveryValueConformsTo() {
        assertEquals(ColumnType.BOOLEAN, infer("true", "NO", "yes"));
        assertEquals(ColumnType.NUMBER, infer("1", "2.5", "-3"));
        assertEquals(ColumnType.DATE, infer("2026-01-01", "2025-12-31"));
        assertEquals(ColumnType.TIMESTAMP, infer("2026-01-01T00:00:00Z", "2026-01-01 10:00"));
        assertEquals(ColumnType.STRING, infer("2026-01-01", "2026-01-01T00:00:00Z"));
        assertEquals(ColumnType.STRING, infer("01234", "75001"), "leading zeros keep ZIP codes strings");
        assertEquals(ColumnType.STRING, infer("+4930123", "+4940123"), "plus signs keep phone numbers strings");
        assertEquals(ColumnType.STRING, infer(), "a column with no values is a string column");
    }

    private static ColumnType infer(String... values) {
        TypeInference inference = new TypeInference();
        for (String v : values) {
            inference.observe(v);
        }
        return inference.result();
    }

    @Test
    void identifierRolesAreGuessedFromColumnNames() {
        Identifiers ids = new Identifiers();
        IdentifierGuesser.guess(ids, List.of("customer_id", "E-Mail", "Mobile", "First Name", "surname", "Country", "ZIP"));
        assertEquals("E-Mail", ids.column("email"));
        assertEquals("Mobile", ids.column("phone"));
        assertEquals("First Name", ids.column("firstName"));
        assertEquals("surname", ids.column("lastName"));
        assertEquals("Country", ids.column("countryCode"));
        assertEquals("ZIP", ids.column("postalCode"));
        assertNull(ids.getDefaultPhoneRegion());
    }
}
