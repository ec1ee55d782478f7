package io.segmatch.fake.google;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.segmatch.fake.google.Exchanges.send;
import static io.segmatch.fake.google.GoogleErrors.failure;

/**
 * A local fake of what Segmatch calls at Google: the Google Ads API's Customer Match calls
 * (v23–v26: user lists, offline user data jobs, their state machine, GAQL status reads),
 * the Data Manager API's audience members, and Google's OAuth endpoints — following Google's
 * documented behaviour (error shapes, int64 values as strings, partial failures, one running
 * job per list), with fault injection per endpoint. It listens on 127.0.0.1 only. This class
 * serves and routes, and is what tests drive; {@link FakeOAuth}, {@link FakeGoogleAds} and
 * {@link FakeDataManager} answer, {@link Fault} and {@link Faults} stand in for Google's bad days.
 *
 * <p>Run it on its own: {@code java -cp server-config/target/segmatch.jar io.segmatch.fake.google.FakeGoogle 8095}
 */
public final class FakeGoogle implements AutoCloseable {

    /** The refresh token the fake accepts from the start (as if configured). */
    public static final String REFRESH_TOKEN = "1//fake-refresh-token";
    public static final String CLIENT_ID = "fake-client-id.apps.googleusercontent.com";
    public static final String CLIENT_SECRET = "fake-client-secret";

    private static final Pattern ADS = Pattern.compile("/(v2[3-6])/customers/(\\d+)/(.+)");

    private final HttpServer server;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<JsonObject> bodies = Collections.synchronizedList(new ArrayList<>());
    private final Faults faults = new Faults();
    private final FakeOAuth oauth = new FakeOAuth(faults);
    private volatile boolean recordBodies = true;
    private final FakeGoogleAds ads = new FakeGoogleAds(oauth, faults, this::record);
    private final FakeDataManager dataManager = new FakeDataManager(oauth, faults, this::record, ads);

    public FakeGoogle(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on a free loopback port. */
    public static FakeGoogle start() throws IOException {
        return new FakeGoogle(0);
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8095;
        FakeGoogle fake = new FakeGoogle(port);
        fake.recordBodies(false); // a long-lived fake would otherwise keep every request it was sent
        System.out.println("fake Google on " + fake.baseUrl() + " (Google Ads API, Data Manager API and OAuth);"
                + " refresh token " + REFRESH_TOKEN + ", client id " + CLIENT_ID + ", client secret " + CLIENT_SECRET);
        Thread.currentThread().join();
    }

    /**
     * The system properties that point a Segmatch server at this fake (its APIs, its OAuth
     * endpoints, its client and refresh token, a customer id), as {@code -Dkey=value} options.
     */
    public List<String> serverOptions() {
        String fake = baseUrl();
        return List.of(
                "-Dsegmatch.googleads.api-url=" + fake,
                "-Dsegmatch.googleads.datamanager-url=" + fake,
                "-Dsegmatch.googleads.oauth.token-url=" + fake + "/token",
                "-Dsegmatch.googleads.oauth.auth-url=" + fake + "/auth",
                "-Dsegmatch.googleads.oauth.client-id=" + CLIENT_ID,
                "-Dsegmatch.googleads.oauth.client-secret=" + CLIENT_SECRET,
                "-Dsegmatch.googleads.oauth.refresh-token=" + REFRESH_TOKEN,
                "-Dsegmatch.googleads.customer-id=123-456-7890");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    // ---- test hooks ----

    /** Answers the next call of an endpoint ({@code userLists:mutate}, {@code create}, {@code addOperations},
     * {@code run}, {@code search}, {@code token}, {@code ingest}, {@code remove}) with these faults, in order. */
    public void fail(String endpoint, Fault... inOrder) {
        faults.add(endpoint, inOrder);
    }

    /** How long a job runs before it succeeds. */
    public void processing(Duration duration) {
        ads.processing(duration);
    }

    /** Revokes every refresh token: the next refresh gets {@code invalid_grant}. */
    public void revokeRefreshTokens() {
        oauth.revokeRefreshTokens();
    }

    /** Refuses this hashed value in every addOperations call with a per-row error (a partial failure). */
    public void refuse(String hashedValue, String code) {
        ads.refuse(hashedValue, code);
    }

    /** Accepts {@link #REFRESH_TOKEN} again. */
    public void restoreRefreshToken() {
        oauth.restoreRefreshToken();
    }

    /** Forgets every access token issued (as if they expired). */
    public void expireAccessTokens() {
        oauth.expireAccessTokens();
    }

    /** The people in a list now, each as their sorted identifiers joined by "|" ({@code kind=value}). */
    public Set<String> members(String userList) {
        return ads.members(userList);
    }

    /** How many people a list holds now. */
    public int size(String userList) {
        return ads.size(userList);
    }

    /** When a list's members last changed (null if never). */
    public Instant changedAt(String userList) {
        return ads.changedAt(userList);
    }

    public List<String> userLists() {
        return ads.userLists();
    }

    /** Jobs as "kind status" lines, in creation order. */
    public List<String> jobs() {
        return ads.jobs();
    }

    /** Every request as "METHOD path", in order. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /**
     * Whether {@link #bodies()} keeps request bodies (on by default, for the contract tests). A
     * benchmark turns it off: a million people's requests would otherwise stay in memory.
     */
    public void recordBodies(boolean on) {
        recordBodies = on;
    }

    private void record(Supplier<JsonObject> body) {
        if (recordBodies) {
            bodies.add(body.get());
        }
    }

    /** Every JSON request body received, in order (for the contract test), while {@link #recordBodies} is on. */
    public List<JsonObject> bodies() {
        synchronized (bodies) {
            return List.copyOf(bodies);
        }
    }

    public boolean uppercaseHashSeen() {
        return ads.uppercaseHashSeen();
    }

    // ---- routing ----

    private void handle(HttpExchange exchange) throws IOException {
        Exchanges.LATE.remove();
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestMethod() + " " + path);
        try {
            if (path.equals("/token")) {
                oauth.token(exchange);
            } else if (path.equals("/auth")) {
                oauth.authorize(exchange);
            } else if (path.startsWith("/v1/audienceMembers:")) {
                dataManager.handle(exchange, path.substring("/v1/audienceMembers:".length()));
            } else {
                Matcher m = ADS.matcher(path);
                if (!m.matches()) {
                    send(exchange, 404, failure(404, "NOT_FOUND", "Unknown path " + path));
                    return;
                }
                ads.handle(exchange, m.group(2), m.group(3));
            }
        } catch (RuntimeException e) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Invalid JSON payload received. " + e.getMessage()));
        }
    }
}
