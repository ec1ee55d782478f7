package io.segmatch.fake.google;

import com.sun.net.httpserver.HttpExchange;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static io.segmatch.fake.google.Exchanges.readJson;
import static io.segmatch.fake.google.Exchanges.requestId;
import static io.segmatch.fake.google.Exchanges.send;
import static io.segmatch.fake.google.Exchanges.string;
import static io.segmatch.fake.google.GoogleErrors.error;
import static io.segmatch.fake.google.GoogleErrors.failure;
import static io.segmatch.fake.google.GoogleErrors.located;

/**
 * The Google Ads API's Customer Match calls (v23–v26): user lists, offline user data jobs
 * and their state machine (a job finishes its processing time after {@code :run}, seen by the
 * next read), partial failures; GAQL reads are answered by {@link GaqlSearch}, a person's user
 * identifiers read by {@link UserIdentifiers}. Holds the lists, which the Data Manager API
 * writes too (synchronized on this object).
 */
final class FakeGoogleAds {

    private final FakeOAuth oauth;
    private final Faults faults;
    private final Consumer<Supplier<JsonObject>> recorder;
    private final AtomicLong ids = new AtomicLong(900_000_000L);
    private final Map<String, UserList> lists = new LinkedHashMap<>();
    private final Map<String, UserDataJob> jobs = new LinkedHashMap<>();
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private volatile Duration processing = Duration.ofMillis(300);
    private volatile boolean uppercaseHashSeen;

    FakeGoogleAds(FakeOAuth oauth, Faults faults, Consumer<Supplier<JsonObject>> recorder) {
        this.oauth = oauth;
        this.faults = faults;
        this.recorder = recorder;
    }

    void processing(Duration duration) {
        processing = duration;
    }

    void refuse(String hashedValue, String code) {
        refused.put(hashedValue, code);
    }

    boolean uppercaseHashSeen() {
        return uppercaseHashSeen;
    }

    /** The list with this resource name, or null (callers hold this object's lock). */
    UserList list(String resourceName) {
        return lists.get(resourceName);
    }

    synchronized Set<String> members(String userList) {
        UserList list = lists.get(userList);
        return list == null ? Set.of() : list.keys();
    }

    synchronized int size(String userList) {
        jobs.values().forEach(this::status);
        UserList list = lists.get(userList);
        return list == null ? 0 : list.size();
    }

    synchronized Instant changedAt(String userList) {
        UserList list = lists.get(userList);
        return list == null ? null : list.changedAt;
    }

    synchronized List<String> userLists() {
        return new ArrayList<>(lists.keySet());
    }

    synchronized List<String> jobs() {
        return jobs.values().stream().map(j -> j.kind + " " + status(j)).toList();
    }

    /** One call of the Google Ads API: {@code rest} is the path after {@code customers/ID/}. */
    void handle(HttpExchange exchange, String customerId, String rest) throws IOException {
        if (!oauth.authorized(exchange)) {
            return;
        }
        String login = exchange.getRequestHeaders().getFirst("login-customer-id");
        if (login != null && !login.matches("\\d{10}")) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                    error("headerError", "INVALID_LOGIN_CUSTOMER_ID", "The login customer ID could not be validated.")));
            return;
        }
        JsonObject body = readJson(exchange);
        recorder.accept(() -> Json.createObjectBuilder().add("endpoint", rest.replaceAll("offlineUserDataJobs/\\d+", "offlineUserDataJobs/ID"))
                .add("body", body).build());
        String prefix = "customers/" + customerId + "/";
        if (rest.equals("userLists:mutate")) {
            if (!faults.answer(exchange, "userLists:mutate")) {
                mutateUserLists(exchange, prefix, body);
            }
        } else if (rest.equals("offlineUserDataJobs:create")) {
            if (!faults.answer(exchange, "create")) {
                createJob(exchange, prefix, body);
            }
        } else if (rest.matches("offlineUserDataJobs/\\d+:addOperations")) {
            if (!faults.answer(exchange, "addOperations")) {
                addOperations(exchange, prefix + rest.substring(0, rest.indexOf(':')), body);
            }
        } else if (rest.matches("offlineUserDataJobs/\\d+:run")) {
            if (!faults.answer(exchange, "run")) {
                run(exchange, prefix, prefix + rest.substring(0, rest.indexOf(':')));
            }
        } else if (rest.equals("googleAds:search")) {
            if (!faults.answer(exchange, "search")) {
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
        jobs.put(resource, new UserDataJob(resource, userList, externalId));
        send(exchange, 200, Json.createObjectBuilder().add("resourceName", resource).build());
    }

    /** The job, if it exists and is still PENDING; otherwise Google's error is sent and null returned. */
    private UserDataJob pendingJob(HttpExchange exchange, String resource) throws IOException {
        UserDataJob job = jobs.get(resource);
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
        UserDataJob job = pendingJob(exchange, resource);
        if (job == null) {
            return;
        }
        JsonArray operations = body.getJsonArray("operations");
        boolean partial = body.getBoolean("enablePartialFailure", false);
        int identifiers = 0;
        JsonArrayBuilder errors = Json.createArrayBuilder();
        int errorCount = 0;
        List<byte[]> accepted = new ArrayList<>();
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
            UserIdentifiers.Read read = UserIdentifiers.read(userIds, refused);
            uppercaseHashSeen |= read.uppercase();
            if (read.error() != null) {
                errors.add(Json.createObjectBuilder()
                        .add("errorCode", Json.createObjectBuilder().add("offlineUserDataJobError", read.error()))
                        .add("message", "The identifier is invalid.")
                        .add("location", Json.createObjectBuilder().add("fieldPathElements", Json.createArrayBuilder()
                                .add(Json.createObjectBuilder().add("fieldName", "operations").add("index", i))
                                .add(Json.createObjectBuilder().add("fieldName", opKind))
                                .add(Json.createObjectBuilder().add("fieldName", "user_identifiers").add("index", read.index()))
                                .add(Json.createObjectBuilder().add("fieldName", read.field())))));
                errorCount++;
            } else {
                accepted.add(PackedPeople.pack(UserList.key(read.person())));
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
        UserDataJob job = pendingJob(exchange, resource);
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
        job.ranAt = Instant.now();
        send(exchange, 200, Json.createObjectBuilder().add("name", prefix + "operations/" + ids.incrementAndGet())
                .add("metadata", Json.createObjectBuilder()
                        .add("@type", "type.googleapis.com/google.ads.googleads.v26.resources.OfflineUserDataJobMetadata")
                        .add("matchRateRange", "MATCH_RANGE_UNKNOWN"))
                .add("done", false).build());
    }

    /** A job's status now: a running job succeeds (and applies its operations) once its processing time is over. */
    synchronized String status(UserDataJob job) {
        if (job.status.equals("RUNNING") && System.nanoTime() - job.runAt >= processing.toNanos()) {
            UserList list = lists.get(job.userList);
            if (job.removeAll) {
                list.clear();
            }
            for (byte[] person : job.operations) {
                if ("remove".equals(job.kind)) {
                    list.remove(person);
                } else {
                    list.add(person);
                }
            }
            // applied: a finished job keeps nothing of its people
            job.operations.clear();
            job.operations.trimToSize();
            job.status = "SUCCESS";
            // applied when someone looks, but done at the end of its processing time
            list.changedAt = job.ranAt.plus(processing);
        }
        return job.status;
    }

    /** The lists, in the order they were made (callers hold this object's lock). */
    Collection<UserList> allLists() {
        return lists.values();
    }

    /** The job with this resource name, or null (callers hold this object's lock). */
    UserDataJob job(String resourceName) {
        return jobs.get(resourceName);
    }

    /** Every running job whose processing time is over is applied (callers hold this object's lock). */
    void settle() {
        jobs.values().forEach(this::status);
    }

    private synchronized void search(HttpExchange exchange, JsonObject body) throws IOException {
        JsonObject answer = GaqlSearch.answer(body.getString("query", ""), this);
        if (answer == null) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.",
                    error("queryError", "UNEXPECTED_INPUT", "Error in query: unexpected input.")));
            return;
        }
        send(exchange, 200, answer);
    }
}
