package io.segmatch.shared.api;

import jakarta.json.JsonObjectBuilder;

import java.time.Instant;

/** Times in the API's JSON: ISO-8601 instants, {@code null} when there is none. */
public final class JsonTimes {

    private JsonTimes() {
    }

    public static void time(JsonObjectBuilder b, String name, Instant time) {
        if (time == null) {
            b.addNull(name);
        } else {
            b.add(name, time.toString());
        }
    }
}
