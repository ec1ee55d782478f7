package io.segmatch.activation.identifiers;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A phone written as {@code +} and digits takes a shorter way than libphonenumber's parser
 * ({@link Normalization#e164Digits}); it must give the parser's answer for every such value.
 */
class PhoneShortWayTest {

    private static final List<Integer> CODES = new ArrayList<>(PhoneNumberUtil.getInstance().getSupportedCallingCodes());

    /** Any calling code, then any national digits (a leading zero, a trunk prefix, too short or long included). */
    @Provide
    Arbitrary<String> plusDigits() {
        Arbitrary<Integer> code = Arbitraries.of(CODES);
        Arbitrary<String> national = Arbitraries.strings().withCharRange('0', '9').ofMinLength(0).ofMaxLength(17);
        Arbitrary<String> anyDigits = Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(19);
        return Arbitraries.oneOf(Combinators.combine(code, national).as((c, n) -> "+" + c + n), anyDigits.map(d -> "+" + d));
    }

    @Property(tries = 20_000)
    void theShortWayGivesTheParsersAnswer(@ForAll("plusDigits") String phone) {
        assertEquals(Normalization.parsed(phone, "ZZ"), Normalization.phone(phone, "ZZ"), phone);
        assertEquals(Normalization.parsed(phone, "DE"), Normalization.phone(phone, "DE"), phone);
    }

    @Test
    void theCommonShapesTakeTheShortWayAndTheParserKeepsTheRest() {
        // taken: the benchmark's and most CRMs' form
        assertEquals("+491000104729", Normalization.e164Digits("+491000104729"));
        assertEquals("+14155550123", Normalization.e164Digits("+14155550123"));
        assertEquals("+80012345678", Normalization.e164Digits("+80012345678")); // a non-geographic code
        // refused by the short way as by the parser: impossible for the country
        assertEquals(null, Normalization.e164Digits("+4912"));
        assertEquals(null, Normalization.parsed("+4912", "ZZ"));
        // left to the parser: a leading zero (Italy keeps it), a trunk prefix after the code, other shapes
        for (String parserOnly : List.of("+390612345678", "+4901511234567", "+49 151 1234567", "0151 1234567", "+0123456",
                "+49-151-1234567")) {
            assertSame(undecided(), Normalization.e164Digits(parserOnly), parserOnly);
        }
        for (String p : List.of("+390612345678", "+4901511234567", "+781612345678", "+5491123456789", "+12125550123",
                "+112125550123", "+5215512345678")) {
            assertEquals(Normalization.parsed(p, "ZZ"), Normalization.phone(p, "ZZ"), p);
        }
    }

    private static String undecided() {
        return Normalization.e164Digits("not a phone");
    }
}
