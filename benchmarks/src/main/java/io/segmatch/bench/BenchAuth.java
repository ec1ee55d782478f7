package io.segmatch.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * The benchmarks' credentials: an API token, either given ({@code --token}) for a running
 * server, or created through HTTP Basic for the first administrator of the server they start.
 */
final class BenchAuth {

    private static volatile String authorization;

    private BenchAuth() {
    }

    /** A request builder that carries the benchmark's token. */
    static HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    static void useToken(String token) {
        authorization = token == null || token.isBlank() ? null : "Bearer " + token.strip();
    }

    /** Creates an admin token with the username and password, and uses it from now on. */
    static void login(HttpClient http, String base, String username, String password) throws IOException, InterruptedException {
        useToken(token(http, base, username, password, "benchmark"));
    }

    /** A new API token of the user (made with HTTP Basic), named {@code name}: its text. */
    static String token(HttpClient http, String base, String username, String password, String name)
            throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        var response = http.send(HttpRequest.newBuilder(URI.create(base + "api/tokens"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + name + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("could not create a token: " + response.statusCode() + " " + response.body());
        }
        return BenchJson.field(response.body(), "token");
    }

    /**
     * The first login as {@code admin} with the generated password the first start wrote: the
     * password is changed (as the console would ask), then a token is made with the new one;
     * returns the new password.
     */
    static String firstLogin(HttpClient http, String base, String generated) throws IOException, InterruptedException {
        String chosen = "fault-" + UUID.randomUUID();
        String basic = Base64.getEncoder().encodeToString(("admin:" + generated).getBytes(StandardCharsets.UTF_8));
        var changed = http.send(HttpRequest.newBuilder(URI.create(base + "api/me"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"currentPassword\": \"" + generated
                        + "\", \"password\": \"" + chosen + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (changed.statusCode() != 200) {
            throw new IOException("could not change the generated password: " + changed.statusCode() + " " + changed.body());
        }
        login(http, base, "admin", chosen);
        return chosen;
    }
}
