package io.segmatch.activation.store;

/**
 * How members' identifiers are made beyond the dataset's roles (configuration, the same for
 * every segment): whether Gmail addresses are canonicalised for Google, and whether each row's
 * key goes to Meta as {@code EXTERN_ID} (not hashed).
 */
public record IdentifierSettings(boolean canonicalGmail, boolean metaExternId) {

    /** What a destination's identifiers depend on here, as it enters a plan's basis. */
    String basis(Destination destination) {
        return destination == Destination.GOOGLE_ADS ? "canonicalGmail=" + canonicalGmail : "externId=" + metaExternId;
    }
}
