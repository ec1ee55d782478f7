package io.segmatch.fake.meta;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local fake of the Graph API endpoints Segmatch calls for Meta's customer-list Custom
 * Audiences ({@code POST /act_{id}/customaudiences}, {@code POST}/{@code DELETE
 * /{audience}/users}, reading an audience and the ad account's terms), strict where Meta is
 * strict: the access token (header or parameter) and, when an app secret is set, an
 * {@code appsecret_proof} no older than five minutes; {@code subtype=CUSTOM} and a
 * {@code customer_file_source}; the payload rules of {@link FakeAudience}; Meta's error
 * bodies; the Custom Audience terms; throttling (code 80003) with the usage headers; and
 * faults injected per endpoint. It listens on 127.0.0.1 only.
 *
 * <p>Run it on its own: {@code java -cp … io.segmatch.fake.meta.FakeMeta 8096}
 */
public final class FakeMeta implements AutoCloseable {

    public static final String TOKEN = "EAAFakeSystemUserToken";
    public static final String AD_ACCOUNT = "1234567890";

    private static final Pattern VERSION = Pattern.compile("/v(\\d+)\\.0/(.+)");
    private static final Set<String> FILE_SOURCES = Set.of("USER_PROVIDED_ONLY", "PARTNER_PROVIDED_ONLY",
            "BOTH_USER_AND_PARTNER_PROVIDED");

    private final HttpServer server;
    private final Map<String, FakeAudience> audiences = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(23848672402580000L);
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final InjectedFaults faults = new InjectedFaults();
    private volatile String token = TOKEN;
    private volatile String appSecret;
    private volatile boolean termsAccepted = true;
    private volatile int usagePercent = 1;
    private volatile int throttles;
    private volatile int regainMinutes;

    public FakeMeta(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on a free loopback port. */
    public static FakeMeta start() throws IOException {
        return new FakeMeta(0);
    }

    public static void main(String[] args) throws Exception {
        FakeMeta fake = new FakeMeta(args.length > 0 ? Integer.parseInt(args[0]) : 8096);
        System.out.println("fake Meta Graph API on " + fake.baseUrl() + "; access token " + TOKEN + ", ad account " + AD_ACCOUNT);
        Thread.currentThread().join();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The JVM options that point a Segmatch server at this fake (its URL, ad account and token). */
    public List<String> serverOptions() {
        return List.of(
                "-Dsegmatch.meta.api-url=" + baseUrl(),
                "-Dsegmatch.meta.ad-account-id=act_" + AD_ACCOUNT,
                "-Dsegmatch.meta.access-token=" + TOKEN);
    }

    // ---- what tests set and read ----

    /** The token the fake accepts. */
    public void token(String token) {
        this.token = token;
    }

    /** Requires an {@code appsecret_proof} made with this secret (null: none required). */
    public void appSecret(String secret) {
        this.appSecret = secret;
    }

    /** Whether the ad account's Custom Audience terms are accepted (otherwise creates and uploads fail with 200/1870090). */
    public void termsAccepted(boolean accepted) {
        this.termsAccepted = accepted;
    }

    /** The percentage the usage headers report (100 and more: throttled). */
    public void usage(int percent) {
        this.usagePercent = percent;
    }

    /** The next {@code times} upload requests are throttled (80003), regaining access in {@code minutes}. */
    public void throttle(int times, int minutes) {
        this.throttles = times;
        this.regainMinutes = minutes;
    }

    /**
     * The next {@code times} requests to {@code endpoint} ({@code customaudiences}, {@code users},
     * {@code audience}, {@code account}) fail with this Graph error.
     */
    public void fail(String endpoint, int times, int status, int code, int subcode, boolean isTransient) {
        faults.fail(endpoint, times, GraphErrors.error(status, code, subcode, "OAuthException", "(#" + code + ") injected failure",
                isTransient));
    }

    /**
     * After {@code passes} more requests to {@code endpoint} were let through, the next one
     * fails with this Graph error (a sync interrupted in the middle of a session).
     */
    public void failAfter(String endpoint, int passes, int status, int code, int subcode) {
        faults.failAfter(endpoint, passes, GraphErrors.error(status, code, subcode, "OAuthException", "(#" + code
                + ") injected failure", false));
    }

    /**
     * The next request to {@code endpoint} stops on its way in, before its token is checked,
     * until the test releases it.
     */
    public HeldRequest holdNext(String endpoint) {
        return faults.holdNext(endpoint);
    }

    /** The audiences created, by id. */
    public Map<String, Integer> audienceSizes() {
        Map<String, Integer> sizes = new HashMap<>();
        audiences.forEach((id, a) -> sizes.put(id, a.size()));
        return sizes;
    }

    /** An audience's members, each the row of values it was added with, joined by {@code |}. */
    public Set<String> members(String audienceId) {
        FakeAudience a = audiences.get(audienceId);
        return a == null ? Set.of() : a.members();
    }

    /** When an audience last gained or lost someone (null: never, or no such audience). */
    public Instant changedAt(String audienceId) {
        FakeAudience a = audiences.get(audienceId);
        return a == null ? null : a.changedAt();
    }

    /** Every request, as {@code METHOD path}. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    // ---- serving ----

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = GraphRequests.form(exchange.getRequestURI().getRawQuery());
        requests.add(method + " " + path);
        try {
            String text;
            try (InputStream in = exchange.getRequestBody()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonObject body = GraphRequests.body(exchange, text);
            Matcher m = VERSION.matcher(path);
            if (!m.matches()) {
                throw new FakeAudience.Refused(GraphErrors.error(400, 2635, 0, "OAuthException",
                        "Unversioned calls are not supported by the Marketing API", false));
            }
            if (Integer.parseInt(m.group(1)) < 22) {
                throw new FakeAudience.Refused(GraphErrors.error(400, 2635, 0, "OAuthException", "(#2635) You are calling a "
                        + "deprecated version of the Ads API. Please update to the latest version: v26.0.", false));
            }
            String[] parts = m.group(2).split("/");
            String endpoint = parts.length == 2 && parts[1].equals("customaudiences") ? "customaudiences"
                    : parts.length == 2 && parts[1].equals("users") ? "users"
                    : parts.length == 1 && parts[0].startsWith("act_") ? "account"
                    : parts.length == 1 ? "audience" : null;
            if (endpoint != null) {
                faults.arrive(endpoint);
            }
            authenticate(exchange, query, body);
            if (endpoint == null) {
                throw new FakeAudience.Refused(GraphErrors.invalidParameter("Unknown path components: /" + m.group(2)));
            }
            faults.check(endpoint);
            JsonObject answer = switch (endpoint) {
                case "customaudiences" -> create(parts[0], method, body);
                case "users" -> users(parts[0], method, query, body);
                case "account" -> account(parts[0], method);
                default -> audience(parts[0], method);
            };
            send(exchange, 200, answer, endpoint.equals("users") || endpoint.equals("customaudiences"));
        } catch (FakeAudience.Refused e) {
            send(exchange, e.failure.status(), e.failure.body(), true);
        } catch (RuntimeException e) {
            send(exchange, 500, GraphErrors.error(500, 1, 99, "OAuthException", "An unknown error occurred", true).body(), false);
        }
    }

    private void authenticate(HttpExchange exchange, Map<String, String> query, JsonObject body) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7) : query.get("access_token");
        if (given == null || !given.equals(token)) {
            throw new FakeAudience.Refused(GraphErrors.badToken());
        }
        String secret = appSecret;
        if (secret != null) {
            String proof = query.getOrDefault("appsecret_proof", body.getString("appsecret_proof", null));
            String time = query.getOrDefault("appsecret_time", null);
            long t = time == null ? -1 : Long.parseLong(time);
            if (proof == null || t < 0 || Math.abs(Instant.now().getEpochSecond() - t) > 300 || !proof.equals(proof(secret, given, t))) {
                throw new FakeAudience.Refused(GraphErrors.error(400, 100, 0, "GraphMethodException",
                        "Invalid appsecret_proof provided in the API argument", false));
            }
        }
    }

    static String proof(String secret, String token, long time) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((token + "|" + time).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonObject create(String account, String method, JsonObject body) {
        requireAccount(account);
        if (!method.equals("POST")) {
            throw new FakeAudience.Refused(GraphErrors.invalidParameter("Unsupported " + method + " request"));
        }
        if (!termsAccepted) {
            throw new FakeAudience.Refused(GraphErrors.termsNotAccepted());
        }
        String name = body.getString("name", "");
        if (name.isBlank()) {
            throw new FakeAudience.Refused(GraphErrors.invalidParameter("The parameter name is required"));
        }
        if (!"CUSTOM".equals(body.getString("subtype", null))) {
            throw new FakeAudience.Refused(GraphErrors.invalidParameter("subtype must be CUSTOM for a customer list"));
        }
        String source = body.getString("customer_file_source", null);
        if (source == null) {
            throw new FakeAudience.Refused(GraphErrors.invalidParameter("Missing parameter(s): customer_file_source"));
        }
        if (!FILE_SOURCES.contains(source)) {
            throw new FakeAudience.Refused(GraphErrors.invalidParameter("customer_file_source must be one of " + FILE_SOURCES));
        }
        String id = String.valueOf(ids.incrementAndGet());
        audiences.put(id, new FakeAudience(id, name, source));
        return Json.createObjectBuilder().add("id", id).build();
    }

    private JsonObject users(String audienceId, String method, Map<String, String> query, JsonObject body) {
        FakeAudience audience = audiences.get(audienceId);
        if (audience == null) {
            throw new FakeAudience.Refused(GraphErrors.noSuchObject(audienceId));
        }
        if (!termsAccepted) {
            throw new FakeAudience.Refused(GraphErrors.termsNotAccepted());
        }
        if (throttles > 0) {
            throttles--;
            throw new FakeAudience.Refused(GraphErrors.throttled());
        }
        boolean remove = method.equals("DELETE") || "DELETE".equals(query.get("method"))
                || "DELETE".equals(body.getString("method", null));
        if (!remove && !method.equals("POST")) {
            throw new FakeAudience.Refused(GraphErrors.invalidParameter("Unsupported " + method + " request"));
        }
        return audience.users(body, remove);
    }

    private JsonObject account(String account, String method) {
        requireAccount(account);
        var tos = Json.createObjectBuilder();
        if (termsAccepted) {
            tos.add("custom_audience_tos", 1);
        }
        return Json.createObjectBuilder().add("tos_accepted", tos).add("id", account).build();
    }

    private JsonObject audience(String audienceId, String method) {
        FakeAudience audience = audiences.get(audienceId);
        if (audience == null || !method.equals("GET")) {
            throw new FakeAudience.Refused(GraphErrors.noSuchObject(audienceId));
        }
        int size = audience.size();
        // Meta reports a range, and nothing below 1,000 people
        int lower = size < 1000 ? -1 : size - size / 10;
        return Json.createObjectBuilder().add("id", audience.id).add("name", audience.name)
                .add("approximate_count_lower_bound", lower).add("approximate_count_upper_bound", size < 1000 ? -1 : size + size / 10)
                .add("operation_status", Json.createObjectBuilder().add("code", 200).add("description", "Normal"))
                .add("delivery_status", Json.createObjectBuilder().add("code", size < 1000 ? 300 : 200)).build();
    }

    private static void requireAccount(String account) {
        if (!account.equals("act_" + AD_ACCOUNT)) {
            throw new FakeAudience.Refused(GraphErrors.noSuchObject(account));
        }
    }

    private void send(HttpExchange exchange, int status, JsonObject body, boolean usage) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.getResponseHeaders().add("facebook-api-version", "v26.0");
        if (usage) {
            boolean throttled = body.getJsonObject("error") != null && body.getJsonObject("error").getInt("code", 0) == 80003;
            int percent = throttled ? Math.max(100, usagePercent) : usagePercent;
            exchange.getResponseHeaders().add("x-business-use-case-usage", "{\"" + AD_ACCOUNT + "\": [{\"type\": "
                    + "\"custom_audience\", \"call_count\": " + percent + ", \"total_cputime\": 1, \"total_time\": 1, "
                    + "\"estimated_time_to_regain_access\": " + (throttled ? regainMinutes : 0) + "}]}");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        faults.releaseAll();
        server.stop(0);
        // its threads are not daemons: left running, they keep a benchmark's JVM from ending
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
