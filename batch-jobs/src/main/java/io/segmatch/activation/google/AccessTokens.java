package io.segmatch.activation.google;

import jakarta.json.JsonObject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * Access tokens from a refresh token (the console's connection, or configuration), cached
 * until a minute before they expire. {@code invalid_grant} means the refresh token is dead:
 * final, and the connection needs a reconnect. No token is ever logged or put in a message.
 */
public final class AccessTokens {

    private final GoogleSettings settings;
    private final Supplier<String> refreshToken;
    private final Runnable onInvalidGrant;
    private String accessToken;
    private Instant expires = Instant.EPOCH;

    /**
     * @param refreshToken   gives the refresh token (null when there is none)
     * @param onInvalidGrant called when Google says the refresh token is expired or revoked
     */
    public AccessTokens(GoogleSettings settings, Supplier<String> refreshToken, Runnable onInvalidGrant) {
        this.settings = settings;
        this.refreshToken = refreshToken;
        this.onInvalidGrant = onInvalidGrant;
    }

    public synchronized String accessToken() {
        if (accessToken != null && Instant.now().isBefore(expires.minus(Duration.ofMinutes(1)))) {
            return accessToken;
        }
        String refresh = refreshToken.get();
        if (refresh == null) {
            throw new GoogleException(0, "NOT_CONNECTED", "Google Ads is not connected: connect it in the console "
                    + "(Google Ads page) or set segmatch.googleads.oauth.refresh-token", false, null);
        }
        OAuthApi oauth = RestClientBuilder.newBuilder()
                    .property("microprofile.rest.client.disable.default.mapper", true).baseUri(URI.create(settings.tokenUrl()))
                .connectTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS).build(OAuthApi.class);
        for (int attempt = 1; ; attempt++) {
            try (Response response = oauth.refresh("refresh_token", refresh, settings.clientId(), settings.clientSecret())) {
                String text = response.readEntity(String.class);
                JsonObject body = JSON.createReader(new StringReader(text)).readObject();
                if (response.getStatus() == 200) {
                    accessToken = body.getString("access_token");
                    expires = Instant.now().plusSeconds(body.getJsonNumber("expires_in").longValue());
                    return accessToken;
                }
                String error = body.getString("error", "HTTP " + response.getStatus());
                if (error.equals("invalid_grant")) {
                    onInvalidGrant.run();
                    throw new GoogleException(response.getStatus(), error, "Google refused the saved authorization "
                            + "(invalid_grant: " + body.getString("error_description", "expired or revoked")
                            + "): reconnect Google Ads in the console", false, null);
                }
                if (response.getStatus() < 500 || attempt >= 3) {
                    throw new GoogleException(response.getStatus(), error, "Google's token endpoint refused the refresh: "
                            + error + " (" + body.getString("error_description", "") + ")", false, null);
                }
            } catch (ProcessingException e) {
                if (attempt >= 3) {
                    throw new GoogleException(0, "NETWORK", "Google's token endpoint could not be reached", true, null);
                }
            }
        }
    }

    /** Forgets the cached token (Google answered 401). */
    public synchronized void invalidate() {
        accessToken = null;
    }
}
