package io.segmatch.bench;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The fault-injection run's view of Segmatch: its API, read with a JSON parser, and bounded waits. */
final class FaultApi {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    final String base;
    private String authorization;

    FaultApi(String base) {
        this.base = base;
    }

    record Answer(String request, int status, String body) {
        JsonObject json() {
            return (JsonObject) parse(success());
        }

        JsonArray array() {
            return (JsonArray) parse(success());
        }

        /** The body of a 2xx answer; anything else is a failure of the run. */
        private String success() {
            if (!ok()) {
                throw new IllegalStateException(request + " answered " + status + ": " + body);
            }
            return body;
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    static JsonStructure parse(String body) {
        try (var reader = Json.createReader(new StringReader(body))) {
            return reader.read();
        }
    }

    /** A token for the administrator, after changing the generated first password. */
    void login(String generated) throws IOException, InterruptedException {
        String password = BenchAuth.firstLogin(http, base, generated);
        authorization = "Bearer " + BenchAuth.token(http, base, "admin", password, "fault injection");
    }

    /** One request; an exception when no answer came (the server died meanwhile). */
    Answer send(String method, String path, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        var r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(method + " " + path, r.statusCode(), r.body());
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null);
    }

    boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Every row of a dataset: key → values. */
    Map<String, Map<String, String>> rows(String datasetId) throws IOException, InterruptedException {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        String after = null;
        do {
            JsonObject page = get("api/datasets/" + datasetId + "/rows?limit=1000"
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8))).json();
            for (JsonValue v : page.getJsonArray("rows")) {
                JsonObject row = v.asJsonObject();
                Map<String, String> values = new LinkedHashMap<>();
                row.getJsonObject("values").forEach((k, x) -> values.put(k, x.getValueType() == JsonValue.ValueType.STRING
                        ? ((JsonString) x).getString() : x.toString()));
                rows.put(row.getString("key"), values);
            }
            after = page.isNull("next") ? null : page.getString("next");
        } while (after != null);
        return rows;
    }

    /** A segment's member keys. */
    List<String> members(String segmentId) throws IOException, InterruptedException {
        List<String> keys = new ArrayList<>();
        String after = null;
        do {
            JsonObject page = get("api/segments/" + segmentId + "/members?limit=1000"
                    + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8))).json();
            page.getJsonArray("members").forEach(m -> keys.add(m.asJsonObject().getString("key")));
            after = page.isNull("next") ? null : page.getString("next");
        } while (after != null);
        return keys;
    }

    /** A segment's enter/exit log, oldest first: {key, change}. */
    List<String[]> changes(String segmentId) throws IOException, InterruptedException {
        List<String[]> log = new ArrayList<>();
        Long after = null;
        do {
            JsonObject page = get("api/segments/" + segmentId + "/changes?limit=1000" + (after == null ? "" : "&after=" + after)).json();
            page.getJsonArray("changes").forEach(c -> log.add(new String[]{c.asJsonObject().getString("key"),
                    c.asJsonObject().getString("change")}));
            after = page.isNull("next") ? null : page.getJsonNumber("next").longValue();
        } while (after != null);
        return log;
    }

    /** Polls until the probe's value passes, for at most {@code limit}; throws with the last value seen. */
    static <T> T await(String what, Duration limit, Supplier<T> probe, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = probe.get();
                if (last != null && done.test(last)) {
                    return last;
                }
            } catch (RuntimeException notYet) {
                // the server is still coming back
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("waited " + limit.toSeconds() + " s for " + what + "; last seen: " + last);
    }

    /** A checked call made usable in {@link #await}. */
    interface Call<T> {
        T call() throws Exception;
    }

    static <T> Supplier<T> probe(Call<T> call) {
        return () -> {
            try {
                return call.call();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
