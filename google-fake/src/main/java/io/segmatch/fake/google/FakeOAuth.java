package io.segmatch.fake.google;

import com.sun.net.httpserver.HttpExchange;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.segmatch.fake.google.Exchanges.enc;
import static io.segmatch.fake.google.Exchanges.form;
import static io.segmatch.fake.google.Exchanges.send;
import static io.segmatch.fake.google.GoogleErrors.error;
import static io.segmatch.fake.google.GoogleErrors.failure;

/** Google's OAuth endpoints: the consent page ({@code /auth}), the token endpoint, and the access tokens it issued. */
final class FakeOAuth {

    private final Faults faults;
    private final Map<String, String> accessTokens = new ConcurrentHashMap<>();
    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, String> codes = new ConcurrentHashMap<>();

    FakeOAuth(Faults faults) {
        this.faults = faults;
        refreshTokens.add(FakeGoogle.REFRESH_TOKEN);
    }

    void revokeRefreshTokens() {
        refreshTokens.clear();
        accessTokens.clear();
    }

    void restoreRefreshToken() {
        refreshTokens.add(FakeGoogle.REFRESH_TOKEN);
    }

    void expireAccessTokens() {
        accessTokens.clear();
    }

    void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
        String code = "4/fake-code-" + UUID.randomUUID();
        codes.put(code, q.getOrDefault("redirect_uri", ""));
        String location = q.get("redirect_uri") + "?code=" + enc(code) + "&state=" + enc(q.getOrDefault("state", ""))
                + "&scope=" + enc(q.getOrDefault("scope", ""));
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    void token(HttpExchange exchange) throws IOException {
        if (faults.answer(exchange, "token")) {
            return;
        }
        Map<String, String> f = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!FakeGoogle.CLIENT_ID.equals(f.get("client_id")) || !FakeGoogle.CLIENT_SECRET.equals(f.get("client_secret"))) {
            send(exchange, 401, Json.createObjectBuilder().add("error", "invalid_client")
                    .add("error_description", "The OAuth client was not found.").build());
            return;
        }
        String grant = f.getOrDefault("grant_type", "");
        JsonObjectBuilder answer = Json.createObjectBuilder();
        if (grant.equals("authorization_code")) {
            String redirect = codes.remove(f.getOrDefault("code", ""));
            if (redirect == null || !redirect.equals(f.get("redirect_uri"))) {
                send(exchange, 400, Json.createObjectBuilder().add("error", "invalid_grant")
                        .add("error_description", "Malformed auth code.").build());
                return;
            }
            String refresh = "1//fake-" + UUID.randomUUID();
            refreshTokens.add(refresh);
            answer.add("refresh_token", refresh);
        } else if (grant.equals("refresh_token")) {
            if (!refreshTokens.contains(f.getOrDefault("refresh_token", ""))) {
                send(exchange, 400, Json.createObjectBuilder().add("error", "invalid_grant")
                        .add("error_description", "Token has been expired or revoked.").build());
                return;
            }
        } else {
            send(exchange, 400, Json.createObjectBuilder().add("error", "unsupported_grant_type")
                    .add("error_description", "Invalid grant_type: " + grant).build());
            return;
        }
        String access = "ya29.fake-" + UUID.randomUUID();
        accessTokens.put(access, "valid");
        send(exchange, 200, answer.add("access_token", access).add("expires_in", 3599)
                .add("scope", "https://www.googleapis.com/auth/adwords https://www.googleapis.com/auth/datamanager")
                .add("token_type", "Bearer").build());
    }

    /** Whether the call carries an access token this fake issued; if not, Google's 401 is sent. */
    boolean authorized(HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !accessTokens.containsKey(auth.substring(7))) {
            send(exchange, 401, failure(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.",
                    error("authenticationError", "OAUTH_TOKEN_INVALID", "Oauth token in the header is not valid.")));
            return false;
        }
        return true;
    }
}
