package io.segmatch.shared.json;

import jakarta.json.spi.JsonProvider;

/**
 * The one JSON Processing provider of the application. {@code jakarta.json.Json}'s static
 * factory methods look the provider up through the class loaders on every call, which in
 * Payara scans jar files: measured, it was a third of a preview request's CPU time. Use
 * {@code JSON.createObjectBuilder()} and the like instead.
 */
public final class Jsons {

    public static final JsonProvider JSON = JsonProvider.provider();

    private Jsons() {
    }
}
