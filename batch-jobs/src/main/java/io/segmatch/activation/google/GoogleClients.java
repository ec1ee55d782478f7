package io.segmatch.activation.google;

import org.eclipse.microprofile.rest.client.RestClientBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The platforms' APIs (Google's, Meta's) as MicroProfile REST clients, all built the same way: the configured timeout
 * for connecting and reading, and no default exception mapper (every answer is read and
 * classified by the caller, never thrown by the client).
 */
public final class GoogleClients {

    private GoogleClients() {
    }

    public static <T> T build(Class<T> api, String baseUri, GoogleSettings settings, Object... providers) {
        return build(api, baseUri, settings.timeout(), providers);
    }

    /** A client of {@code api} at {@code baseUri} (also Meta's Graph API) with this timeout. */
    public static <T> T build(Class<T> api, String baseUri, Duration timeout, Object... providers) {
        RestClientBuilder builder = RestClientBuilder.newBuilder()
                .property("microprofile.rest.client.disable.default.mapper", true)
                .baseUri(URI.create(baseUri))
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (Object provider : providers) {
            builder.register(provider);
        }
        return builder.build(api);
    }
}
