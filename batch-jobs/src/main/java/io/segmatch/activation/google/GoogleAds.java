package io.segmatch.activation.google;

import io.segmatch.activation.identifiers.CustomerIdentifiers;
import jakarta.json.bind.annotation.JsonbTypeSerializer;

import java.util.List;

/**
 * Request bodies of the Google Ads API, as records whose JSON (JSON-B, nulls left out) is
 * Google's proto3 JSON: lowerCamelCase names, enums as strings, int64 values as strings.
 * The contract test parses each into Google's own generated classes.
 */
public final class GoogleAds {

    private GoogleAds() {
    }

    public record MutateUserListsRequest(List<UserListOperation> operations) {
    }

    public record UserListOperation(UserList create) {
    }

    public record UserList(String name, String description, String membershipLifeSpan, CrmBasedUserList crmBasedUserList) {
    }

    public record CrmBasedUserList(String uploadKeyType, String dataSourceType) {
    }

    public record CreateJobRequest(OfflineUserDataJob job, Boolean enableMatchRateRangePreview) {
    }

    public record OfflineUserDataJob(String type, String externalId, CustomerMatchUserListMetadata customerMatchUserListMetadata) {
    }

    public record CustomerMatchUserListMetadata(String userList, Consent consent) {
    }

    public record Consent(String adUserData, String adPersonalization) {
    }

    /** Written by {@link AddOperationsWriter} (the same JSON, without reflection: the body of every batch). */
    @JsonbTypeSerializer(AddOperationsWriter.class)
    public record AddOperationsRequest(List<Operation> operations, Boolean enablePartialFailure) {
    }

    /** Exactly one of create and remove. */
    public record Operation(UserData create, UserData remove) {
    }

    public record UserData(List<UserIdentifier> userIdentifiers) {
    }

    /** Exactly one field per identifier. */
    public record UserIdentifier(String hashedEmail, String hashedPhoneNumber, AddressInfo addressInfo) {
    }

    public record AddressInfo(String hashedFirstName, String hashedLastName, String countryCode, String postalCode) {
    }

    public record RunRequest() {
    }

    public record SearchRequest(String query, String pageToken) {
    }

    /** One person: one {@code UserData}, one {@code UserIdentifier} per identifier. */
    public static UserData userData(CustomerIdentifiers ids) {
        return new UserData(ids.each(email -> new UserIdentifier(email, null, null),
                phone -> new UserIdentifier(null, phone, null),
                a -> new UserIdentifier(null, null, new AddressInfo(a.hashedFirstName(), a.hashedLastName(),
                        a.countryCode(), a.postalCode()))));
    }
}
