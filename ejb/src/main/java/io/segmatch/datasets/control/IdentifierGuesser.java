package io.segmatch.datasets.control;

import io.segmatch.datasets.entity.Identifiers;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Guesses which columns hold the identifiers Customer Match uses, from their names.
 * Names are compared ignoring case and any character that is not a letter or digit.
 */
public final class IdentifierGuesser {

    static final Map<String, List<String>> NAMES = Map.of(
            "email", List.of("email", "emailaddress", "mail", "mailaddress"),
            "phone", List.of("phone", "phonenumber", "mobile", "mobilephone", "mobilenumber", "cell", "cellphone",
                    "telephone", "tel"),
            "firstName", List.of("firstname", "givenname", "forename", "fname"),
            "lastName", List.of("lastname", "surname", "familyname", "lname"),
            "countryCode", List.of("country", "countrycode", "countryiso"),
            "postalCode", List.of("zip", "zipcode", "postalcode", "postcode", "plz"));

    private IdentifierGuesser() {
    }

    /** Fills each role that has no column yet with the first matching column. */
    public static void guess(Identifiers identifiers, List<String> columns) {
        for (String role : Identifiers.ROLES) {
            if (identifiers.column(role) != null) {
                continue;
            }
            for (String column : columns) {
                if (NAMES.get(role).contains(normalise(column))) {
                    identifiers.setColumn(role, column);
                    break;
                }
            }
        }
    }

    static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
