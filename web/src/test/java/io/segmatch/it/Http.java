package io.segmatch.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small HTTP client for the black-box tests; it refuses any address that is not loopback.
 * It authenticates with an API token: the first administrator's ({@link #Http(URL)}), or one of
 * a user of a given role that it creates once per server ({@link #as}); {@link #anonymous}
 * sends no credentials.
 */
final class Http {

    /** The first administrator's password on every test server ({@code segmatch.admin.initial-password}). */
    static final String ADMIN_PASSWORD = "it-admin-password-1";
    /** The password of the users the tests create. */
    static final String USER_PASSWORD = "it-user-password-1";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .cookieHandler(new CookieManager()).build();
    private final URI root;
    /** The user whose token this client sends, or null. */
    private final String user;
    /** An explicit Authorization header (overrides the user's token), or null. */
    private String authorization;

    Http(URL deployment) {
        this(deployment, "admin");
    }

    private Http(URL deployment, String user) {
        this.user = user;
        try {
            assertTrue(InetAddress.getByName(deployment.getHost()).isLoopbackAddress(),
                    "tests talk to loopback only, not " + deployment.getHost());
            this.root = deployment.toURI();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client without credentials. */
    static Http anonymous(URL deployment) {
        return new Http(deployment, null);
    }

    /** A client with the token of the user {@code username} (created with {@code role} when missing). */
    static Http as(URL deployment, String username, String role) {
        Http http = new Http(deployment, username);
        http.ensureUser(role);
        return http;
    }

    /** A client of a user of that role named after it ({@code viewer}, {@code editor}, {@code admin}). */
    static Http as(URL deployment, String role) {
        return role.equals("admin") ? new Http(deployment).deployed() : as(deployment, "it-" + role, role);
    }

    /** Sends this header instead of the user's token (for example Basic, or a token under test). */
    Http withAuthorization(String header) {
        this.authorization = header;
        return this;
    }

    static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private void ensureUser(String role) {
        deployed();
        if (TOKENS.containsKey(root + " " + user)) {
            return;
        }
        Http admin = new Http(toUrl(), "admin");
        Response created = admin.json("POST", "api/users", "{\"username\": \"" + user + "\", \"password\": \""
                + USER_PASSWORD + "\", \"role\": \"" + role + "\"}");
        if (created.status() != 201 && created.status() != 409) {
            throw new AssertionError("could not create the user " + user + ": " + created.status() + " " + created.body());
        }
    }

    /**
     * A client for the server's management interface (WildFly's metrics and management API),
     * as the management user the tests were given ({@code segmatch.it.metrics.user}).
     */
    Http managementUser() {
        return anonymous(toUrl()).withAuthorization(basic(System.getProperty("segmatch.it.metrics.user"),
                System.getProperty("segmatch.it.metrics.password")));
    }

    private URL toUrl() {
        try {
            return root.toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Authorization header this client sends, creating the user's token the first time. */
    String authorization() {
        if (authorization != null) {
            return authorization;
        }
        if (user == null) {
            return null;
        }
        return "Bearer " + TOKENS.computeIfAbsent(root + " " + user, k -> {
            String password = user.equals("admin") ? ADMIN_PASSWORD : USER_PASSWORD;
            var response = raw(HttpRequest.newBuilder(uri("api/tokens")).header("Authorization", basic(user, password))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"tests\"}")));
            if (response.status() != 201) {
                throw new AssertionError("could not create a token for " + user + ": " + response.status() + " " + response.body());
            }
            return response.json().getString("token");
        });
    }

    /**
     * Waits (up to a minute) until the application is deployed and ready; Payara Micro stays up
     * after a failed deployment and answers 404 everywhere, so a failure is reported clearly,
     * once per deployment.
     */
    Http deployed() {
        if (READY.contains(root.toString())) {
            return this;
        }
        if (FAILED.contains(root.toString())) {
            throw new AssertionError("Segmatch did not deploy (see the Payara Micro log above)");
        }
        var last = new AtomicReference<Response>();
        try {
            Awaitility.await("Segmatch to be ready").atMost(Duration.ofMinutes(1))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500)).until(() -> {
                        last.set(raw(HttpRequest.newBuilder(uri(health("ready"))).GET()));
                        return last.get().status() == 200 && last.get().body().contains("\"database\"");
                    });
        } catch (ConditionTimeoutException e) {
            // reported below, with the last answer
        }
        Response ready = last.get();
        if (ready.status() != 200 || !ready.body().contains("\"database\"")) {
            FAILED.add(root.toString());
            throw new AssertionError("Segmatch is not deployed and ready: /health/ready answered " + ready.status()
                    + " " + ready.body());
        }
        READY.add(root.toString());
        return this;
    }

    private static final Set<String> READY = ConcurrentHashMap.newKeySet();
    private static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

    record Response(int status, String contentType, String body, HttpResponse<String> raw) {
        JsonObject json() {
            return (JsonObject) parse();
        }

        JsonArray array() {
            return (JsonArray) parse();
        }

        private JsonStructure parse() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.read();
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /**
     * Where the server answers a health check ({@code ready}, {@code live}): at the root of
     * the application's server on Payara, on the management interface on WildFly (the system
     * property {@code segmatch.it.health} names its base URL).
     */
    static String health(String check) {
        String base = System.getProperty("segmatch.it.health", "");
        return (base.isBlank() ? "/health/" : base.replaceAll("/*$", "/")) + check;
    }

    /** A path relative to the application, or absolute on the server when it starts with a slash. */
    URI uri(String path) {
        return root.resolve(path);
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    Response post(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    Response csv(String path, String csv) {
        return post(path, "text/csv", csv.getBytes(StandardCharsets.UTF_8));
    }

    Response json(String method, String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A multipart/form-data POST with a file part and text parts (name, value pairs). */
    Response multipart(String path, String fileName, String csv, String... fields) {
        return multipartNamed(path, "file", fileName, csv, fields);
    }

    /** A multipart/form-data POST whose file part has the given name. */
    Response multipartNamed(String path, String filePart, String fileName, String csv, String... fields) {
        String boundary = "----segmatch" + UUID.randomUUID();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            body.append("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(fields[i]).append("\"\r\n\r\n")
                    .append(fields[i + 1]).append("\r\n");
        }
        body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(filePart).append("\"; filename=\"").append(fileName)
                .append("\"\r\n")
                .append("Content-Type: text/csv\r\n\r\n").append(csv).append("\r\n")
                .append("--").append(boundary).append("--\r\n");
        return post(path, "multipart/form-data; boundary=" + boundary, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Any method, with a body of the given type (none when {@code contentType} is null). */
    Response request(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Like {@link #request}, with extra headers (such as {@code Origin}). */
    Response sendWith(String method, String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        return send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A form POST (application/x-www-form-urlencoded) of name, value pairs. */
    Response form(String path, String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return post(path, "application/x-www-form-urlencoded", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The Faces view state of a page. */
    static String viewState(String html) {
        var m = Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no view state in the page");
        }
        return m.group(1);
    }

    /** Sends a request with this client's credentials. */
    Response send(HttpRequest.Builder request) {
        String header = authorization();
        if (header != null) {
            request.header("Authorization", header);
        }
        return raw(request);
    }

    private Response raw(HttpRequest.Builder request) {
        try {
            var response = client.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
