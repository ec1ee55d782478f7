package io.segmatch.activation.google;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * Access tokens from a refresh token (the console's connection, or configuration), cached
 * until a minute before they expire. {@code invalid_grant} means the refresh token is dead:
 * final, and the connection needs a reconnect. No token is ever logged or put in a message.
 */
public final class AccessTokens implements GoogleCalls.Tokens {

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

    @Override
    public synchronized String accessToken() {
        if (accessToken != null && Instant.now().isBefore(expires.minus(Duration.ofMinutes(1)))) {
            return accessToken;
        }
        String refresh = refreshToken.get();
        if (refresh == null) {
            throw new GoogleException(0, "NOT_CONNECTED", "Google Ads is not connected: connect it in the console "
                    + "(Google Ads page) or set segmatch.googleads.oauth.refresh-token", false, null);
        }
        OAuthApi oauth = GoogleClients.build(OAuthApi.class, settings.tokenUrl(), settings);
        for (int attempt = 1; ; attempt++) {
            try (Response response = oauth.refresh("refresh_token", refresh, settings.clientId(), settings.clientSecret())) {
                JsonObject body = body(response);
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

    /**
     * The authorization code of the consent page's answer for a refresh token (Google returns
     * one with {@code access_type=offline}).
     */
    public static String exchangeCode(GoogleSettings settings, String code, String redirectUri) {
        OAuthApi oauth = GoogleClients.build(OAuthApi.class, settings.tokenUrl(), settings);
        try (Response r = oauth.exchange("authorization_code", code, redirectUri, settings.clientId(), settings.clientSecret())) {
            JsonObject body = body(r);
            if (r.getStatus() != 200) {
                throw new GoogleException(r.getStatus(), body.getString("error", null), "Google refused the authorization code: "
                        + body.getString("error", "HTTP " + r.getStatus()) + " (" + body.getString("error_description", "") + ")",
                        false, null);
            }
            if (!body.containsKey("refresh_token")) {
                throw new GoogleException(200, "NO_REFRESH_TOKEN", "Google returned no refresh token; remove Segmatch's "
                        + "access in your Google account's security settings and connect again", false, null);
            }
            return body.getString("refresh_token");
        } catch (ProcessingException e) {
            throw new GoogleException(0, "NETWORK", "Google's token endpoint could not be reached", true, null);
        }
    }

    /** The token endpoint's JSON answer; anything else is Google's failure, said as such (never its text). */
    private static JsonObject body(Response response) {
        try {
            return JSON.createReader(new StringReader(response.readEntity(String.class))).readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new GoogleException(response.getStatus(), "INVALID_RESPONSE", "Google's token endpoint answered HTTP "
                    + response.getStatus() + " without a JSON object", response.getStatus() >= 500, null);
        }
    }

    /** Forgets the cached token (Google answered 401). */
    @Override
    public synchronized void invalidate() {
        accessToken = null;
    }
}
