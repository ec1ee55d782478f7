package io.segmatch.fake.google;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local fake of what Segmatch calls at Google: the Google Ads API's Customer Match calls
 * (v23–v26: user lists, offline user data jobs, their state machine, GAQL status reads),
 * the Data Manager API's audience members, and Google's OAuth endpoints — following appendix
 * B of the reference (error shapes, int64 values as strings, partial failures, one running
 * job per list), with fault injection per endpoint. It listens on 127.0.0.1 only.
 *
 * <p>Run it on its own: {@code java -cp server-config/target/segmatch.jar io.segmatch.fake.google.FakeGoogle 8095}
 */
public final class FakeGoogle implements AutoCloseable {

    /** The refresh token the fake accepts from the start (as if configured). */
    public static final String REFRESH_TOKEN = "1//fake-refresh-token";
    public static final String CLIENT_ID = "fake-client-id.apps.googleusercontent.com";
    public static final String CLIENT_SECRET = "fake-client-secret";

    private static final Pattern ADS = Pattern.compile("/(v2[3-6])/customers/(\\d+)/(.+)");
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");

    private final HttpServer server;
    private final AtomicLong ids = new AtomicLong(900_000_000L);

    private final Map<String, String> accessTokens = new ConcurrentHashMap<>();
    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, String> codes = new ConcurrentHashMap<>();

    private final Map<String, UserList> lists = new LinkedHashMap<>();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<JsonObject> bodies = Collections.synchronizedList(new ArrayList<>());
    private volatile Duration processing = Duration.ofMillis(300);
    private volatile boolean uppercaseHashSeen;
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    /** A Customer Match list: the people in it, each as the set of identifiers sent for them. */
    public static final class UserList {
        final String resourceName;
        final String name;
        final long lifeSpan;
        final Set<String> identifiers = new LinkedHashSet<>();
        /** Each identifier ({@code kind=value}) → the people (as in {@link #identifiers}) who have it. */
        private final Map<String, Set<String>> people = new HashMap<>();
        /** When the list's members last changed. */
        volatile java.time.Instant changedAt;

        UserList(String resourceName, String name, long lifeSpan) {
            this.resourceName = resourceName;
            this.name = name;
            this.lifeSpan = lifeSpan;
        }

        void add(Set<String> person) {
            String key = String.join("|", person);
            if (identifiers.add(key)) {
                person.forEach(id -> people.computeIfAbsent(id, i -> new LinkedHashSet<>()).add(key));
                changedAt = java.time.Instant.now();
            }
        }

        /** Google removes every person matched by any of the identifiers sent. */
        void remove(Set<String> person) {
            for (String id : person) {
                Set<String> matched = people.remove(id);
                if (matched == null) {
                    continue;
                }
                for (String key : matched) {
                    identifiers.remove(key);
                    for (String other : key.split("\\|")) {
                        Set<String> rest = people.get(other);
                        if (rest != null && rest.remove(key) && rest.isEmpty()) {
                            people.remove(other);
                        }
                    }
                }
                changedAt = java.time.Instant.now();
            }
        }

        void clear() {
            identifiers.clear();
            people.clear();
            changedAt = java.time.Instant.now();
        }
    }

    /** An offline user data job and its state machine. */
    static final class Job {
        final String resourceName;
        final String userList;
        final long externalId;
        String status = "PENDING";
        long runAt;
        java.time.Instant ranAt;
        String kind; // "create" or "remove", fixed by the first operation
        boolean removeAll;
        final List<Set<String>> operations = new ArrayList<>();

        Job(String resourceName, String userList, long externalId) {
            this.resourceName = resourceName;
            this.userList = userList;
            this.externalId = externalId;
        }
    }

    /** A fault the fake answers with instead of the real response (once). */
    public record Fault(int status, JsonObject body, Duration delay, String retryAfter) {

        /** 429 {@code quotaError: RESOURCE_TEMPORARILY_EXHAUSTED} with {@code retryDelay}. */
        public static Fault quota(String retryDelay) {
            return new Fault(429, failure(429, "RESOURCE_EXHAUSTED", "Too many requests.",
                    error("quotaError", "RESOURCE_TEMPORARILY_EXHAUSTED", "Too many requests.")
                            .add("details", Json.createObjectBuilder().add("quotaErrorDetails", Json.createObjectBuilder()
                                    .add("rateScope", "ACCOUNT").add("rateName", "Requests per account")
                                    .add("retryDelay", retryDelay)))), null, null);
        }

        /** 400 {@code databaseError: CONCURRENT_MODIFICATION}, as Google sends it (retryable). */
        public static Fault concurrentModification() {
            return new Fault(400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                    error("databaseError", "CONCURRENT_MODIFICATION",
                            "Multiple requests were attempting to modify the same resource at once. Retry the request.")),
                    null, null);
        }

        /** 500 {@code internalError: TRANSIENT_ERROR}. */
        public static Fault internal() {
            return new Fault(500, failure(500, "INTERNAL", "Internal error encountered.",
                    error("internalError", "TRANSIENT_ERROR", "The request failed due to a transient error.")), null, null);
        }

        /** No answer for this long (the client's timeout should fire first), then a 503. */
        public static Fault timeout(Duration delay) {
            return new Fault(503, failure(503, "UNAVAILABLE", "The service is currently unavailable.",
                    error("internalError", "TRANSIENT_ERROR", "The service is currently unavailable.")), delay, null);
        }

        /**
         * The request is carried out, but its answer comes this late (the client's timeout
         * should fire first): Google did it, and the client does not know.
         */
        public static Fault lateAnswer(Duration delay) {
            return new Fault(0, null, delay, null);
        }

        /** 401 {@code authenticationError: OAUTH_TOKEN_EXPIRED}. */
        public static Fault tokenExpired() {
            return new Fault(401, failure(401, "UNAUTHENTICATED", "Request is missing required authentication credential.",
                    error("authenticationError", "OAUTH_TOKEN_EXPIRED", "The access token has expired.")), null, null);
        }

        /** 403 {@code authorizationError: USER_PERMISSION_DENIED} (final). */
        public static Fault permissionDenied() {
            return new Fault(403, failure(403, "PERMISSION_DENIED", "The caller does not have permission",
                    error("authorizationError", "USER_PERMISSION_DENIED",
                            "User doesn't have permission to access customer.")), null, null);
        }
    }

    public FakeGoogle(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        refreshTokens.add(REFRESH_TOKEN);
        server.start();
    }

    /** Starts on a free loopback port. */
    public static FakeGoogle start() throws IOException {
        return new FakeGoogle(0);
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8095;
        FakeGoogle fake = new FakeGoogle(port);
        System.out.println("fake Google on " + fake.baseUrl() + " (Google Ads API, Data Manager API and OAuth);"
                + " refresh token " + REFRESH_TOKEN + ", client id " + CLIENT_ID + ", client secret " + CLIENT_SECRET);
        Thread.currentThread().join();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    // ---- test hooks ----

    /** Answers the next call of an endpoint ({@code userLists:mutate}, {@code create}, {@code addOperations},
     * {@code run}, {@code search}, {@code token}, {@code ingest}, {@code remove}) with these faults, in order. */
    public void fail(String endpoint, Fault... inOrder) {
        faults.computeIfAbsent(endpoint, e -> new ArrayDeque<>()).addAll(List.of(inOrder));
    }

    /** How long a job runs before it succeeds. */
    public void processing(Duration duration) {
        processing = duration;
    }

    /** Revokes every refresh token: the next refresh gets {@code invalid_grant}. */
    public void revokeRefreshTokens() {
        refreshTokens.clear();
        accessTokens.clear();
    }

    /** Refuses this hashed value in every addOperations call with a per-row error (a partial failure). */
    public void refuse(String hashedValue, String code) {
        refused.put(hashedValue, code);
    }

    /** Accepts {@link #REFRESH_TOKEN} again. */
    public void restoreRefreshToken() {
        refreshTokens.add(REFRESH_TOKEN);
    }

    /** Forgets every access token issued (as if they expired). */
    public void expireAccessTokens() {
        accessTokens.clear();
    }

    /** The people in a list now, each as their sorted identifiers joined by "|" ({@code kind=value}). */
    public synchronized Set<String> members(String userList) {
        UserList list = lists.get(userList);
        return list == null ? Set.of() : Set.copyOf(list.identifiers);
    }

    /** How many people a list holds now. */
    public synchronized int size(String userList) {
        jobs.values().forEach(this::status);
        UserList list = lists.get(userList);
        return list == null ? 0 : list.identifiers.size();
    }

    /** When a list's members last changed (null if never). */
    public synchronized java.time.Instant changedAt(String userList) {
        UserList list = lists.get(userList);
        return list == null ? null : list.changedAt;
    }

    public synchronized List<String> userLists() {
        return new ArrayList<>(lists.keySet());
    }

    /** Jobs as "kind status" lines, in creation order. */
    public synchronized List<String> jobs() {
        return jobs.values().stream().map(j -> j.kind + " " + status(j)).toList();
    }

    /** Every request as "METHOD path", in order. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Every JSON request body received, in order (for the contract test). */
    public List<JsonObject> bodies() {
        synchronized (bodies) {
            return List.copyOf(bodies);
        }
    }

    public boolean uppercaseHashSeen() {
        return uppercaseHashSeen;
    }

    // ---- routing ----

    private void handle(HttpExchange exchange) throws IOException {
        late.remove();
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestMethod() + " " + path);
        try {
            if (path.equals("/token")) {
                token(exchange);
            } else if (path.equals("/auth")) {
                authorize(exchange);
            } else if (path.startsWith("/v1/audienceMembers:")) {
                dataManager(exchange, path.substring("/v1/audienceMembers:".length()));
            } else {
                Matcher m = ADS.matcher(path);
                if (!m.matches()) {
                    send(exchange, 404, failure(404, "NOT_FOUND", "Unknown path " + path));
                    return;
                }
                googleAds(exchange, m.group(2), m.group(3));
            }
        } catch (RuntimeException e) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Invalid JSON payload received. " + e.getMessage()));
        }
    }

    private boolean faulted(HttpExchange exchange, String endpoint) throws IOException {
        Deque<Fault> queue = faults.get(endpoint);
        Fault fault = queue == null ? null : queue.poll();
        if (fault == null) {
            return false;
        }
        if (fault.status() == 0) {
            late.set(fault.delay());
            return false;
        }
        if (fault.delay() != null) {
            try {
                Thread.sleep(fault.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        send(exchange, fault.status(), fault.body());
        return true;
    }

    // ---- OAuth ----

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
        String code = "4/fake-code-" + UUID.randomUUID();
        codes.put(code, q.getOrDefault("redirect_uri", ""));
        String location = q.get("redirect_uri") + "?code=" + enc(code) + "&state=" + enc(q.getOrDefault("state", ""))
                + "&scope=" + enc(q.getOrDefault("scope", ""));
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        if (faulted(exchange, "token")) {
            return;
        }
        Map<String, String> f = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!CLIENT_ID.equals(f.get("client_id")) || !CLIENT_SECRET.equals(f.get("client_secret"))) {
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

    private boolean authorized(HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !accessTokens.containsKey(auth.substring(7))) {
            send(exchange, 401, failure(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.",
                    error("authenticationError", "OAUTH_TOKEN_INVALID", "Oauth token in the header is not valid.")));
            return false;
        }
        return true;
    }

    // ---- Google Ads API ----

    private void googleAds(HttpExchange exchange, String customerId, String rest) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        String login = exchange.getRequestHeaders().getFirst("login-customer-id");
        if (login != null && !login.matches("\\d{10}")) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                    error("headerError", "INVALID_LOGIN_CUSTOMER_ID", "The login customer ID could not be validated.")));
            return;
        }
        JsonObject body = readJson(exchange);
        bodies.add(Json.createObjectBuilder().add("endpoint", rest.replaceAll("offlineUserDataJobs/\\d+", "offlineUserDataJobs/ID"))
                .add("body", body).build());
        String prefix = "customers/" + customerId + "/";
        if (rest.equals("userLists:mutate")) {
            if (!faulted(exchange, "userLists:mutate")) {
                mutateUserLists(exchange, prefix, body);
            }
        } else if (rest.equals("offlineUserDataJobs:create")) {
            if (!faulted(exchange, "create")) {
                createJob(exchange, prefix, body);
            }
        } else if (rest.matches("offlineUserDataJobs/\\d+:addOperations")) {
            if (!faulted(exchange, "addOperations")) {
                addOperations(exchange, prefix + rest.substring(0, rest.indexOf(':')), body);
            }
        } else if (rest.matches("offlineUserDataJobs/\\d+:run")) {
            if (!faulted(exchange, "run")) {
                run(exchange, prefix, prefix + rest.substring(0, rest.indexOf(':')));
            }
        } else if (rest.equals("googleAds:search")) {
            if (!faulted(exchange, "search")) {
                search(exchange, body);
            }
        } else {
            send(exchange, 404, failure(404, "NOT_FOUND", "Unknown method " + rest));
        }
    }

    private synchronized void mutateUserLists(HttpExchange exchange, String prefix, JsonObject body) throws IOException {
        JsonArray operations = body.getJsonArray("operations");
        boolean validateOnly = body.getBoolean("validateOnly", false);
        JsonArrayBuilder results = Json.createArrayBuilder();
        for (int i = 0; i < operations.size(); i++) {
            JsonObject create = operations.getJsonObject(i).getJsonObject("create");
            String name = create.getString("name", "");
            JsonObject crm = create.getJsonObject("crmBasedUserList");
            if (crm == null || !crm.containsKey("uploadKeyType")) {
                send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                        located(error("userListError", "INVALID_USER_LIST_TYPE", "The list is not a CRM based list."),
                                i, "create", "crm_based_user_list")));
                return;
            }
            if (lists.values().stream().anyMatch(l -> l.name.equals(name))) {
                send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                        located(error("userListError", "NAME_ALREADY_USED", "Name is already being used for another user list for the account."),
                                i, "create", "name")));
                return;
            }
            long lifeSpan = Long.parseLong(string(create, "membershipLifeSpan", "540"));
            if (lifeSpan < 0 || lifeSpan > 540) {
                send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                        located(error("rangeError", "TOO_HIGH", "Too high."), i, "create", "membership_life_span")));
                return;
            }
            if (!validateOnly) {
                String resource = prefix + "userLists/" + ids.incrementAndGet();
                lists.put(resource, new UserList(resource, name, lifeSpan));
                results.add(Json.createObjectBuilder().add("resourceName", resource));
            }
        }
        send(exchange, 200, Json.createObjectBuilder().add("results", results).build());
    }

    private synchronized void createJob(HttpExchange exchange, String prefix, JsonObject body) throws IOException {
        JsonObject job = body.getJsonObject("job");
        if (!"CUSTOMER_MATCH_USER_LIST".equals(job.getString("type", ""))) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                    error("offlineUserDataJobError", "INVALID_JOB_TYPE", "Invalid job type.")));
            return;
        }
        JsonObject metadata = job.getJsonObject("customerMatchUserListMetadata");
        String userList = metadata == null ? null : metadata.getString("userList", null);
        if (userList == null || !lists.containsKey(userList)) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                    error("offlineUserDataJobError", "INVALID_USER_LIST_ID", "The user list ID provided for the job is invalid.")));
            return;
        }
        JsonObject consent = metadata.getJsonObject("consent");
        if (consent != null && (consent.getString("adUserData", "").equals("DENIED")
                || consent.getString("adPersonalization", "").equals("DENIED"))) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                    error("offlineUserDataJobError", "CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS",
                            "Customer has not accepted customer data terms.")));
            return;
        }
        long externalId = Long.parseLong(string(job, "externalId", "0"));
        if (externalId != 0 && jobs.values().stream().anyMatch(j -> j.externalId == externalId)) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                    error("offlineUserDataJobError", "EXTERNAL_UPDATE_ID_ALREADY_EXISTS",
                            "The external update ID already exists.")));
            return;
        }
        if (body.getBoolean("validateOnly", false)) {
            send(exchange, 200, JsonValue.EMPTY_JSON_OBJECT);
            return;
        }
        String resource = prefix + "offlineUserDataJobs/" + ids.incrementAndGet();
        jobs.put(resource, new Job(resource, userList, externalId));
        send(exchange, 200, Json.createObjectBuilder().add("resourceName", resource).build());
    }

    /** The job, if it exists and is still PENDING; otherwise Google's error is sent and null returned. */
    private Job pendingJob(HttpExchange exchange, String resource) throws IOException {
        Job job = jobs.get(resource);
        if (job == null) {
            send(exchange, 404, failure(404, "NOT_FOUND", "Resource was not found."));
            return null;
        }
        if (!status(job).equals("PENDING")) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                    error("offlineUserDataJobError", "JOB_ALREADY_STARTED", "The job has already been started.")));
            return null;
        }
        return job;
    }

    private synchronized void addOperations(HttpExchange exchange, String resource, JsonObject body) throws IOException {
        Job job = pendingJob(exchange, resource);
        if (job == null) {
            return;
        }
        JsonArray operations = body.getJsonArray("operations");
        boolean partial = body.getBoolean("enablePartialFailure", false);
        int identifiers = 0;
        JsonArrayBuilder errors = Json.createArrayBuilder();
        int errorCount = 0;
        List<Set<String>> accepted = new ArrayList<>();
        String kind = job.kind;
        for (int i = 0; i < operations.size(); i++) {
            JsonObject op = operations.getJsonObject(i);
            if (op.containsKey("removeAll")) {
                if (i != 0) {
                    send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                            located(error("offlineUserDataJobError", "INVALID_OPERATION_ORDER",
                                    "removeAll must be the first operation."), i, "remove_all")));
                    return;
                }
                job.removeAll = true;
                continue;
            }
            String opKind = op.containsKey("create") ? "create" : op.containsKey("remove") ? "remove" : null;
            if (opKind == null || (kind != null && !kind.equals(opKind))) {
                send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                        located(error("offlineUserDataJobError", "CONFLICTING_OPERATION",
                                "Cannot have both create and remove operations in the same job."), i, opKind == null ? "create" : opKind)));
                return;
            }
            kind = opKind;
            JsonArray userIds = op.getJsonObject(opKind).getJsonArray("userIdentifiers");
            identifiers += userIds == null ? 0 : userIds.size();
            if (userIds == null || userIds.size() > 20) {
                errors.add(located(error("offlineUserDataJobError", userIds == null ? "MISSING_USER_IDENTIFIER" : "TOO_MANY_USER_IDENTIFIERS",
                        "Invalid user identifiers."), i, opKind));
                errorCount++;
                continue;
            }
            Set<String> person = new java.util.TreeSet<>();
            String bad = null;
            int badIndex = 0;
            String badField = null;
            for (int j = 0; j < userIds.size() && bad == null; j++) {
                JsonObject id = userIds.getJsonObject(j);
                if (id.size() != 1) {
                    bad = "MISSING_USER_IDENTIFIER";
                    badIndex = j;
                    badField = "user_identifiers";
                    break;
                }
                String key = id.keySet().iterator().next();
                switch (key) {
                    case "hashedEmail", "hashedPhoneNumber" -> {
                        String v = id.getString(key);
                        if (refused.containsKey(v.toLowerCase())) {
                            bad = refused.get(v.toLowerCase());
                            badIndex = j;
                            badField = key.equals("hashedEmail") ? "hashed_email" : "hashed_phone_number";
                        } else if (!HASH.matcher(v).matches()) {
                            bad = "INVALID_SHA256_FORMAT";
                            badIndex = j;
                            badField = key.equals("hashedEmail") ? "hashed_email" : "hashed_phone_number";
                        } else {
                            uppercaseHashSeen |= !v.equals(v.toLowerCase());
                            person.add(key + "=" + v.toLowerCase());
                        }
                    }
                    case "addressInfo" -> {
                        JsonObject a = id.getJsonObject(key);
                        String first = a.getString("hashedFirstName", "");
                        String last = a.getString("hashedLastName", "");
                        if (!HASH.matcher(first).matches() || !HASH.matcher(last).matches()) {
                            bad = "INVALID_SHA256_FORMAT";
                            badIndex = j;
                            badField = "address_info";
                        } else if (!a.getString("countryCode", "").matches("[A-Z]{2}")) {
                            bad = "INVALID_COUNTRY_CODE";
                            badIndex = j;
                            badField = "address_info";
                        } else {
                            person.add("addressInfo=" + first + "/" + last + "/" + a.getString("countryCode") + "/"
                                    + a.getString("postalCode", ""));
                        }
                    }
                    default -> {
                        bad = "INCOMPATIBLE_UPLOAD_KEY_TYPE";
                        badIndex = j;
                        badField = key;
                    }
                }
            }
            if (bad != null) {
                errors.add(Json.createObjectBuilder()
                        .add("errorCode", Json.createObjectBuilder().add("offlineUserDataJobError", bad))
                        .add("message", "The identifier is invalid.")
                        .add("location", Json.createObjectBuilder().add("fieldPathElements", Json.createArrayBuilder()
                                .add(Json.createObjectBuilder().add("fieldName", "operations").add("index", i))
                                .add(Json.createObjectBuilder().add("fieldName", opKind))
                                .add(Json.createObjectBuilder().add("fieldName", "user_identifiers").add("index", badIndex))
                                .add(Json.createObjectBuilder().add("fieldName", badField)))));
                errorCount++;
            } else {
                accepted.add(person);
            }
        }
        if (identifiers > 100_000) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                    error("offlineUserDataJobError", "TOO_MANY_USER_IDENTIFIERS", "Too many user identifiers.")));
            return;
        }
        if (errorCount > 0 && !partial) {
            send(exchange, 400, Json.createObjectBuilder().add("error", Json.createObjectBuilder().add("code", 400)
                    .add("message", "Request contains an invalid argument.").add("status", "INVALID_ARGUMENT")
                    .add("details", Json.createArrayBuilder().add(Json.createObjectBuilder()
                            .add("@type", "type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure")
                            .add("errors", errors).add("requestId", requestId())))).build());
            return;
        }
        if (body.getBoolean("validateOnly", false)) {
            send(exchange, 200, JsonValue.EMPTY_JSON_OBJECT);
            return;
        }
        job.kind = kind;
        job.operations.addAll(accepted);
        JsonObjectBuilder answer = Json.createObjectBuilder();
        if (errorCount > 0) {
            answer.add("partialFailureError", Json.createObjectBuilder().add("code", 3)
                    .add("message", "Multiple errors in 'details'. First error: The identifier is invalid.")
                    .add("details", Json.createArrayBuilder().add(Json.createObjectBuilder()
                            .add("@type", "type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure")
                            .add("errors", errors).add("requestId", requestId()))));
        }
        send(exchange, 200, answer.build());
    }

    private synchronized void run(HttpExchange exchange, String prefix, String resource) throws IOException {
        Job job = pendingJob(exchange, resource);
        if (job == null) {
            return;
        }
        boolean busy = jobs.values().stream().anyMatch(j -> j != job && j.userList.equals(job.userList)
                && status(j).equals("RUNNING"));
        if (busy) {
            send(exchange, 400, Fault.concurrentModification().body());
            return;
        }
        job.status = "RUNNING";
        job.runAt = System.nanoTime();
        job.ranAt = java.time.Instant.now();
        send(exchange, 200, Json.createObjectBuilder().add("name", prefix + "operations/" + ids.incrementAndGet())
                .add("metadata", Json.createObjectBuilder()
                        .add("@type", "type.googleapis.com/google.ads.googleads.v26.resources.OfflineUserDataJobMetadata")
                        .add("matchRateRange", "MATCH_RANGE_UNKNOWN"))
                .add("done", false).build());
    }

    /** A job's status now: a running job succeeds (and applies its operations) once its processing time is over. */
    private synchronized String status(Job job) {
        if (job.status.equals("RUNNING") && System.nanoTime() - job.runAt >= processing.toNanos()) {
            UserList list = lists.get(job.userList);
            if (job.removeAll) {
                list.clear();
            }
            for (Set<String> person : job.operations) {
                if ("remove".equals(job.kind)) {
                    list.remove(person);
                } else {
                    list.add(person);
                }
            }
            job.status = "SUCCESS";
            // applied when someone looks, but done at the end of its processing time
            list.changedAt = job.ranAt.plus(processing);
        }
        return job.status;
    }

    private static final Pattern JOB_QUERY = Pattern.compile("SELECT offline_user_data_job\\.resource_name, "
            + "offline_user_data_job\\.id, offline_user_data_job\\.status, offline_user_data_job\\.type, "
            + "offline_user_data_job\\.failure_reason, offline_user_data_job\\.customer_match_user_list_metadata\\.user_list, "
            + "offline_user_data_job\\.operation_metadata\\.match_rate_range FROM offline_user_data_job "
            + "WHERE offline_user_data_job\\.resource_name = '([^']+)'");
    private static final Pattern LIST_QUERY = Pattern.compile("SELECT user_list\\.size_for_display, "
            + "user_list\\.size_for_search, user_list\\.size_range_for_search, user_list\\.match_rate_percentage, "
            + "user_list\\.membership_status, user_list\\.crm_based_user_list\\.upload_key_type FROM user_list "
            + "WHERE user_list\\.resource_name = '([^']+)'");

    private static final Pattern LISTS_QUERY = Pattern.compile("SELECT user_list\\.resource_name, user_list\\.name "
            + "FROM user_list WHERE user_list\\.type = 'CRM_BASED'");

    private synchronized void search(HttpExchange exchange, JsonObject body) throws IOException {
        String query = body.getString("query", "").trim().replaceAll("\\s+", " ");
        Matcher job = JOB_QUERY.matcher(query);
        Matcher list = LIST_QUERY.matcher(query);
        JsonArrayBuilder results = Json.createArrayBuilder();
        String mask;
        if (LISTS_QUERY.matcher(query).matches()) {
            for (UserList l : lists.values()) {
                results.add(Json.createObjectBuilder().add("userList", Json.createObjectBuilder()
                        .add("resourceName", l.resourceName).add("name", l.name)));
            }
            mask = "userList.resourceName,userList.name";
        } else if (job.matches()) {
            Job j = jobs.get(job.group(1));
            if (j != null) {
                String status = status(j);
                results.add(Json.createObjectBuilder().add("offlineUserDataJob", Json.createObjectBuilder()
                        .add("resourceName", j.resourceName)
                        .add("id", j.resourceName.substring(j.resourceName.lastIndexOf('/') + 1))
                        .add("type", "CUSTOMER_MATCH_USER_LIST").add("status", status)
                        .add("failureReason", "UNSPECIFIED")
                        .add("customerMatchUserListMetadata", Json.createObjectBuilder().add("userList", j.userList))
                        .add("operationMetadata", Json.createObjectBuilder().add("matchRateRange",
                                status.equals("SUCCESS") ? "MATCH_RANGE_51_TO_60" : "MATCH_RANGE_UNKNOWN"))));
            }
            mask = "offlineUserDataJob.resourceName,offlineUserDataJob.id,offlineUserDataJob.status,offlineUserDataJob.type,"
                    + "offlineUserDataJob.failureReason,offlineUserDataJob.customerMatchUserListMetadata.userList,"
                    + "offlineUserDataJob.operationMetadata.matchRateRange";
        } else if (list.matches()) {
            UserList l = lists.get(list.group(1));
            if (l != null) {
                jobs.values().forEach(this::status);
                long size = l.identifiers.size() < 100 ? 0 : twoSignificant(l.identifiers.size() * 55 / 100);
                results.add(Json.createObjectBuilder().add("userList", Json.createObjectBuilder()
                        .add("resourceName", l.resourceName)
                        .add("sizeForDisplay", Long.toString(size)).add("sizeForSearch", Long.toString(size))
                        .add("sizeRangeForSearch", size < 500 ? "LESS_THAN_FIVE_HUNDRED" : "ONE_THOUSAND_TO_TEN_THOUSAND")
                        .add("matchRatePercentage", l.identifiers.isEmpty() ? 0 : 55)
                        .add("membershipStatus", "OPEN")
                        .add("crmBasedUserList", Json.createObjectBuilder().add("uploadKeyType", "CONTACT_INFO"))));
            }
            mask = "userList.sizeForDisplay,userList.sizeForSearch,userList.sizeRangeForSearch,userList.matchRatePercentage,"
                    + "userList.membershipStatus,userList.crmBasedUserList.uploadKeyType";
        } else {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                    error("queryError", "UNEXPECTED_INPUT", "Error in query: unexpected input.")));
            return;
        }
        send(exchange, 200, Json.createObjectBuilder().add("results", results).add("fieldMask", mask)
                .add("queryResourceConsumption", "12").build());
    }

    private static long twoSignificant(long n) {
        if (n < 100) {
            return n;
        }
        long scale = (long) Math.pow(10, (long) Math.log10(n) - 1);
        return Math.round((double) n / scale) * scale;
    }

    // ---- Data Manager API ----

    private void dataManager(HttpExchange exchange, String method) throws IOException {
        if (!authorized(exchange)) {
            return;
        }
        JsonObject body = readJson(exchange);
        bodies.add(Json.createObjectBuilder().add("endpoint", "audienceMembers:" + method).add("body", body).build());
        if (faulted(exchange, method)) {
            return;
        }
        JsonArray destinations = body.getJsonArray("destinations");
        JsonArray members = body.getJsonArray("audienceMembers");
        if (destinations == null || destinations.size() != 1 || members == null || members.size() > 10_000) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument."));
            return;
        }
        if (!"HEX".equals(body.getString("encoding", ""))) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "encoding is required for user data."));
            return;
        }
        JsonObject destination = destinations.getJsonObject(0);
        String customer = destination.getJsonObject("operatingAccount").getString("accountId");
        String list = "customers/" + customer + "/userLists/" + destination.getString("productDestinationId");
        synchronized (this) {
            UserList l = lists.get(list);
            if (l == null) {
                send(exchange, 404, failure(404, "NOT_FOUND", "Destination not found: " + list));
                return;
            }
            for (JsonValue m : members) {
                Set<String> person = new java.util.TreeSet<>();
                for (JsonValue v : m.asJsonObject().getJsonObject("userData").getJsonArray("userIdentifiers")) {
                    JsonObject id = v.asJsonObject();
                    if (id.containsKey("emailAddress")) {
                        person.add("hashedEmail=" + id.getString("emailAddress"));
                    } else if (id.containsKey("phoneNumber")) {
                        person.add("hashedPhoneNumber=" + id.getString("phoneNumber"));
                    } else if (id.containsKey("address")) {
                        JsonObject a = id.getJsonObject("address");
                        person.add("addressInfo=" + a.getString("givenName") + "/" + a.getString("familyName") + "/"
                                + a.getString("regionCode") + "/" + a.getString("postalCode"));
                    }
                }
                for (String one : person) {
                    if (!HASH.matcher(one.substring(one.indexOf('=') + 1).split("/")[0]).matches()) {
                        send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Invalid hex encoding: " + one));
                        return;
                    }
                }
                if (method.equals("ingest")) {
                    l.add(person);
                } else {
                    l.remove(person);
                }
            }
        }
        send(exchange, 200, Json.createObjectBuilder().add("requestId", requestId()).build());
    }

    // ---- shapes ----

    static JsonObjectBuilder error(String kind, String code, String message) {
        return Json.createObjectBuilder().add("errorCode", Json.createObjectBuilder().add(kind, code)).add("message", message);
    }

    static JsonObjectBuilder located(JsonObjectBuilder error, int operation, String... fields) {
        JsonArrayBuilder path = Json.createArrayBuilder().add(Json.createObjectBuilder().add("fieldName", "operations")
                .add("index", operation));
        for (String f : fields) {
            path.add(Json.createObjectBuilder().add("fieldName", f));
        }
        return error.add("location", Json.createObjectBuilder().add("fieldPathElements", path));
    }

    /** A {@code google.rpc.Status} error body with a {@code GoogleAdsFailure} detail. */
    static JsonObject failure(int http, String status, String message, JsonObjectBuilder... errors) {
        JsonObjectBuilder error = Json.createObjectBuilder().add("code", http).add("message", message).add("status", status);
        if (errors.length > 0) {
            JsonArrayBuilder list = Json.createArrayBuilder();
            for (JsonObjectBuilder e : errors) {
                list.add(e);
            }
            error.add("details", Json.createArrayBuilder().add(Json.createObjectBuilder()
                    .add("@type", "type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure")
                    .add("errors", list).add("requestId", requestId())));
        }
        return Json.createObjectBuilder().add("error", error).build();
    }

    private static String requestId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    }

    private static String string(JsonObject o, String key, String fallback) {
        JsonValue v = o.get(key);
        if (v == null) {
            return fallback;
        }
        return v.getValueType() == JsonValue.ValueType.STRING ? o.getString(key) : v.toString();
    }

    private static JsonObject readJson(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.isBlank() ? JsonValue.EMPTY_JSON_OBJECT : Json.createReader(new StringReader(text)).readObject();
        }
    }

    private static Map<String, String> form(String text) {
        Map<String, String> map = new HashMap<>();
        if (text == null || text.isEmpty()) {
            return map;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            map.put(k, v);
        }
        return map;
    }

    private static String enc(String v) {
        return java.net.URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    /** Set by a {@link Fault#lateAnswer} for the request this thread is handling. */
    private static final ThreadLocal<Duration> late = new ThreadLocal<>();

    private static void send(HttpExchange exchange, int status, JsonObject body) throws IOException {
        Duration delay = late.get();
        if (delay != null) {
            late.remove();
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.getResponseHeaders().add("request-id", requestId());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
