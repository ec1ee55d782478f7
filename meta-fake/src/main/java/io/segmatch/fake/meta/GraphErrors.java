package io.segmatch.fake.meta;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/** Graph API error bodies, as Meta sends them: {@code {"error": {message, type, code, error_subcode, …}}}. */
final class GraphErrors {

    private GraphErrors() {
    }

    /** An error Meta answers with HTTP {@code status}. */
    record Failure(int status, JsonObject body) {
    }

    static Failure error(int status, int code, int subcode, String type, String message, boolean isTransient) {
        JsonObjectBuilder e = Json.createObjectBuilder().add("message", message).add("type", type).add("code", code);
        if (subcode != 0) {
            e.add("error_subcode", subcode);
        }
        e.add("is_transient", isTransient).add("fbtrace_id", "A" + Long.toHexString(System.nanoTime()));
        return new Failure(status, Json.createObjectBuilder().add("error", e).build());
    }

    static Failure invalidParameter(String message) {
        return error(400, 100, 0, "OAuthException", "(#100) " + message, false);
    }

    static Failure badToken() {
        return error(400, 190, 463, "OAuthException", "Error validating access token: Session has expired.", false);
    }

    static Failure termsNotAccepted() {
        Failure f = error(400, 200, 1870090, "OAuthException", "Permissions error", false);
        JsonObject e = Json.createObjectBuilder(f.body().getJsonObject("error"))
                .add("error_user_title", "Custom Audience Terms Not Accepted")
                .add("error_user_msg", "To create or edit an audience, please agree to the Custom Audience terms.").build();
        return new Failure(400, Json.createObjectBuilder().add("error", e).build());
    }

    static Failure throttled() {
        return error(400, 80003, 2446079, "OAuthException", "There have been too many calls to this ad-account. Wait a bit "
                + "and try again.", true);
    }

    static Failure noSuchObject(String id) {
        return error(400, 100, 33, "GraphMethodException", "Unsupported post request. Object with ID '" + id
                + "' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", false);
    }
}
