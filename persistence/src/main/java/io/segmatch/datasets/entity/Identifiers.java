package io.segmatch.datasets.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which column holds each identifier that Customer Match uses, and the region for
 * phone numbers written without a country code.
 */
@Embeddable
public class Identifiers {

    /** The role names of the API, in the order the API lists them. */
    public static final List<String> ROLES =
            List.of("email", "phone", "firstName", "lastName", "countryCode", "postalCode");

    @Column(name = "id_email")
    private String email;
    @Column(name = "id_phone")
    private String phone;
    @Column(name = "id_first_name")
    private String firstName;
    @Column(name = "id_last_name")
    private String lastName;
    @Column(name = "id_country_code")
    private String countryCode;
    @Column(name = "id_postal_code")
    private String postalCode;
    @Column(name = "default_phone_region")
    private String defaultPhoneRegion;

    /** The column for a role, or null. */
    public String column(String role) {
        return switch (role) {
            case "email" -> email;
            case "phone" -> phone;
            case "firstName" -> firstName;
            case "lastName" -> lastName;
            case "countryCode" -> countryCode;
            case "postalCode" -> postalCode;
            default -> throw new IllegalArgumentException("unknown identifier role: " + role);
        };
    }

    public void setColumn(String role, String column) {
        switch (role) {
            case "email" -> email = column;
            case "phone" -> phone = column;
            case "firstName" -> firstName = column;
            case "lastName" -> lastName = column;
            case "countryCode" -> countryCode = column;
            case "postalCode" -> postalCode = column;
            default -> throw new IllegalArgumentException("unknown identifier role: " + role);
        }
    }

    public String getDefaultPhoneRegion() {
        return defaultPhoneRegion;
    }

    public void setDefaultPhoneRegion(String defaultPhoneRegion) {
        this.defaultPhoneRegion = defaultPhoneRegion;
    }

    /** The roles that have a column, in API order, plus the default phone region when set. */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String role : ROLES) {
            if (column(role) != null) {
                map.put(role, column(role));
            }
        }
        if (defaultPhoneRegion != null) {
            map.put("defaultPhoneRegion", defaultPhoneRegion);
        }
        return map;
    }
}
