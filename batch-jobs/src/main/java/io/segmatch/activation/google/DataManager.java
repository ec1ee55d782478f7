package io.segmatch.activation.google;

import io.segmatch.activation.identifiers.CustomerIdentifiers;

import java.util.List;

/** Request bodies of the Data Manager API (hex-encoded SHA-256 hashes, consent on the request). */
public final class DataManager {

    private DataManager() {
    }

    public record IngestRequest(List<Destination> destinations, List<AudienceMember> audienceMembers, Consent consent,
                                String encoding, TermsOfService termsOfService) {
    }

    public record RemoveRequest(List<Destination> destinations, List<AudienceMember> audienceMembers, String encoding) {
    }

    public record Destination(ProductAccount operatingAccount, ProductAccount loginAccount, String productDestinationId) {
    }

    public record ProductAccount(String accountId, String accountType) {
    }

    public record AudienceMember(UserData userData) {
    }

    public record UserData(List<UserIdentifier> userIdentifiers) {
    }

    /** Exactly one field per identifier. */
    public record UserIdentifier(String emailAddress, String phoneNumber, AddressInfo address) {
    }

    public record AddressInfo(String givenName, String familyName, String regionCode, String postalCode) {
    }

    public record Consent(String adUserData, String adPersonalization) {
    }

    public record TermsOfService(String customerMatchTermsOfServiceStatus) {
    }

    /** One person: one member, one {@code UserIdentifier} per identifier. */
    public static AudienceMember member(CustomerIdentifiers ids) {
        return new AudienceMember(new UserData(ids.each(email -> new UserIdentifier(email, null, null),
                phone -> new UserIdentifier(null, phone, null),
                a -> new UserIdentifier(null, null, new AddressInfo(a.hashedFirstName(), a.hashedLastName(),
                        a.countryCode(), a.postalCode())))));
    }

    /** Google Ads consent values ({@code GRANTED}) in the Data Manager's form ({@code CONSENT_GRANTED}). */
    public static String consent(String googleAds) {
        return switch (googleAds) {
            case "GRANTED" -> "CONSENT_GRANTED";
            case "DENIED" -> "CONSENT_DENIED";
            default -> "CONSENT_STATUS_UNSPECIFIED";
        };
    }
}
