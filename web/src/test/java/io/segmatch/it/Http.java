package io.segmatch.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small HTTP client for the black-box tests; it refuses any address that is not loopback. */
final class Http {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .cookieHandler(new java.net.CookieManager()).build();
    private final URI root;

    Http(URL deployment) {
        try {
            assertTrue(InetAddress.getByName(deployment.getHost()).isLoopbackAddress(),
                    "tests talk to loopback only, not " + deployment.getHost());
            this.root = deployment.toURI();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Response ready = get("/health/ready");
        while (!(ready.status() == 200 && ready.body().contains("\"database\"")) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            ready = get("/health/ready");
        }
        if (ready.status() != 200 || !ready.body().contains("\"database\"")) {
            FAILED.add(root.toString());
            throw new AssertionError("Segmatch is not deployed and ready: /health/ready answered " + ready.status()
                    + " " + ready.body());
        }
        READY.add(root.toString());
        return this;
    }

    private static final java.util.Set<String> READY = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.Set<String> FAILED = java.util.concurrent.ConcurrentHashMap.newKeySet();

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

    /** A form POST (application/x-www-form-urlencoded) of name, value pairs. */
    Response form(String path, String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(java.net.URLEncoder.encode(fields[i], java.nio.charset.StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(fields[i + 1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return post(path, "application/x-www-form-urlencoded", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The Faces view state of a page. */
    static String viewState(String html) {
        var m = java.util.regex.Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no view state in the page");
        }
        return m.group(1);
    }

    private Response send(HttpRequest.Builder request) {
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
