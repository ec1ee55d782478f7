package io.segmatch.activation.google;

import io.segmatch.activation.identifiers.CustomerIdentifiers;
import io.segmatch.activation.store.SyncJobs;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The two ways to Customer Match behind one interface (docs/activation.md): the Google Ads API's
 * offline user data jobs (asynchronous: create, add operations, run, poll) and the Data
 * Manager API (synchronous requests; a "job" is the batches of one kind).
 */
public interface CustomerMatch {

    /** At most this many people per call (Google: 10,000 identifiers per addOperations; Data Manager: 10,000 members). */
    int BATCH = 10_000;

    /** Creates a Customer Match list; returns its resource name. */
    String createUserList(String name, String description);

    /** Creates the job of a sync job (its id as {@code externalId}); returns its resource name. */
    String createJob(SyncJobs.Job job, String adUserData, String adPersonalization);

    /** What a batch did: Google's request id, and the people Google rejected (key → error code). */
    record Sent(String requestId, Map<String, String> rejected) {
    }

    /** Sends people (≤ {@link #BATCH}) to a created job. */
    Sent send(SyncJobs.Job job, List<SyncJobs.Item> items, String adUserData, String adPersonalization);

    /** Starts the job's processing (nothing to do for the Data Manager API). */
    void run(SyncJobs.Job job);

    /** A job's status at Google ({@code SUCCESS}, {@code FAILED}, {@code RUNNING}, {@code PENDING}) and match rate range. */
    record Status(String status, String matchRateRange) {
    }

    Status status(SyncJobs.Job job);

    /** The list's size and match rate when Google reports them (nulls otherwise). */
    record ListReport(Long size, Integer matchRate) {
    }

    ListReport report(String userList);

    static CustomerMatch of(GoogleSettings settings, GoogleCalls calls) {
        if (settings.customerId() == null) {
            throw new GoogleException(0, "NOT_CONFIGURED", "set segmatch.googleads.customer-id to the Google Ads "
                    + "account that holds the lists", false, null);
        }
        return settings.dataManager() ? new DataManagerTransport(settings, calls) : new GoogleAdsTransport(settings, calls);
    }

    /** The Google Ads API (OfflineUserDataJobService). */
    final class GoogleAdsTransport implements CustomerMatch {
        private static final Logger LOG = Logger.getLogger(CustomerMatch.class.getName());
        private final GoogleSettings s;
        private final GoogleCalls calls;
        private final GoogleAdsApi api;

        GoogleAdsTransport(GoogleSettings settings, GoogleCalls calls) {
            this.s = settings;
            this.calls = calls;
            this.api = GoogleClients.build(GoogleAdsApi.class, settings.apiUrl() + "/", settings,
                    new GoogleHeaders(settings.loginCustomerId(), settings.developerToken()));
        }

        @Override
        public String createUserList(String name, String description) {
            var body = new GoogleAds.MutateUserListsRequest(List.of(new GoogleAds.UserListOperation(new GoogleAds.UserList(
                    name, description, "540", new GoogleAds.CrmBasedUserList("CONTACT_INFO", "FIRST_PARTY")))));
            try {
                var answer = calls.call("creating the Customer Match list", t -> api.mutateUserLists(s.apiVersion(),
                        s.customerId(), t, body));
                return answer.body().getJsonArray("results").getJsonObject(0).getString("resourceName");
            } catch (GoogleException e) {
                // a create whose answer was lost (a timeout) and then retried meets its own list:
                // names carry the segment's id, so the list of that name is the one we made
                String existing = "NAME_ALREADY_USED".equals(e.code()) ? findUserList(name) : null;
                if (existing == null) {
                    throw e;
                }
                LOG.info("the Customer Match list \"" + name + "\" exists already (an earlier create's answer was lost): "
                        + existing);
                return existing;
            }
        }

        /** The resource name of the account's Customer Match list with this name, or null (matched here, not in GAQL). */
        String findUserList(String name) {
            String query = "SELECT user_list.resource_name, user_list.name FROM user_list WHERE user_list.type = 'CRM_BASED'";
            String pageToken = null;
            do {
                String page = pageToken;
                var answer = calls.call("looking up the Customer Match list", t -> api.search(s.apiVersion(), s.customerId(),
                        t, new GoogleAds.SearchRequest(query, page)));
                JsonArray results = answer.body().getJsonArray("results");
                for (JsonValue r : results == null ? List.<JsonValue>of() : results) {
                    JsonObject list = r.asJsonObject().getJsonObject("userList");
                    if (list != null && name.equals(list.getString("name", null))) {
                        return list.getString("resourceName");
                    }
                }
                pageToken = answer.body().getString("nextPageToken", null);
            } while (pageToken != null && !pageToken.isEmpty());
            return null;
        }

        @Override
        public String createJob(SyncJobs.Job job, String adUserData, String adPersonalization) {
            // consent goes on add jobs only (a remove job needs none)
            var consent = job.kind().equals("add") ? new GoogleAds.Consent(adUserData, adPersonalization) : null;
            var body = new GoogleAds.CreateJobRequest(new GoogleAds.OfflineUserDataJob("CUSTOMER_MATCH_USER_LIST",
                    Long.toString(job.id()), new GoogleAds.CustomerMatchUserListMetadata(job.userList(), consent)), true);
            var answer = calls.call("creating the " + job.kind() + " job", t -> api.createJob(s.apiVersion(), s.customerId(),
                    t, body));
            return answer.body().getString("resourceName");
        }

        @Override
        public Sent send(SyncJobs.Job job, List<SyncJobs.Item> items, String adUserData, String adPersonalization) {
            List<GoogleAds.Operation> operations = items.stream().map(i -> {
                GoogleAds.UserData data = GoogleAds.userData(CustomerIdentifiers.fromJson(i.identifiers()));
                return job.kind().equals("add") ? new GoogleAds.Operation(data, null) : new GoogleAds.Operation(null, data);
            }).toList();
            var body = new GoogleAds.AddOperationsRequest(operations, true);
            var answer = calls.call("adding operations to the " + job.kind() + " job", t -> api.addOperations(s.apiVersion(),
                    s.customerId(), jobId(job), t, body));
            return new Sent(answer.requestId(), rejected(answer.body(), items));
        }

        /** Partial failures mapped back to the people by the index of their operation. */
        static Map<String, String> rejected(JsonObject body, List<SyncJobs.Item> items) {
            Map<String, String> rejected = new HashMap<>();
            JsonObject failure = body.getJsonObject("partialFailureError");
            if (failure == null || !(failure.get("details") instanceof JsonArray details)) {
                return rejected;
            }
            for (JsonValue d : details) {
                if (!(d.asJsonObject().get("errors") instanceof JsonArray errors)) {
                    continue;
                }
                for (JsonValue e : errors) {
                    JsonObject error = e.asJsonObject();
                    JsonObject code = error.getJsonObject("errorCode");
                    String name = code == null || code.isEmpty() ? "UNKNOWN" : code.getString(code.keySet().iterator().next(), "UNKNOWN");
                    JsonObject location = error.getJsonObject("location");
                    if (location == null) {
                        continue;
                    }
                    for (JsonValue p : location.getJsonArray("fieldPathElements")) {
                        JsonObject element = p.asJsonObject();
                        if (element.getString("fieldName", "").equals("operations") && element.containsKey("index")) {
                            int index = element.getInt("index");
                            if (index >= 0 && index < items.size()) {
                                rejected.putIfAbsent(items.get(index).key(), name);
                            }
                        }
                    }
                }
            }
            return rejected;
        }

        @Override
        public void run(SyncJobs.Job job) {
            calls.call("running the " + job.kind() + " job", t -> api.run(s.apiVersion(), s.customerId(), jobId(job), t,
                    new GoogleAds.RunRequest()));
        }

        @Override
        public Status status(SyncJobs.Job job) {
            String query = "SELECT offline_user_data_job.resource_name, offline_user_data_job.id, "
                    + "offline_user_data_job.status, offline_user_data_job.type, offline_user_data_job.failure_reason, "
                    + "offline_user_data_job.customer_match_user_list_metadata.user_list, "
                    + "offline_user_data_job.operation_metadata.match_rate_range FROM offline_user_data_job "
                    + "WHERE offline_user_data_job.resource_name = '" + checked(job.resourceName()) + "'";
            var answer = calls.call("reading the " + job.kind() + " job's status", t -> api.search(s.apiVersion(),
                    s.customerId(), t, new GoogleAds.SearchRequest(query, null)));
            JsonArray results = answer.body().getJsonArray("results");
            if (results == null || results.isEmpty()) {
                return new Status("UNKNOWN", null);
            }
            JsonObject j = results.getJsonObject(0).getJsonObject("offlineUserDataJob");
            JsonObject meta = j.getJsonObject("operationMetadata");
            return new Status(j.getString("status", "UNKNOWN"), meta == null ? null : meta.getString("matchRateRange", null));
        }

        @Override
        public ListReport report(String userList) {
            String query = "SELECT user_list.size_for_display, user_list.size_for_search, user_list.size_range_for_search, "
                    + "user_list.match_rate_percentage, user_list.membership_status, "
                    + "user_list.crm_based_user_list.upload_key_type FROM user_list "
                    + "WHERE user_list.resource_name = '" + checked(userList) + "'";
            var answer = calls.call("reading the list's size", t -> api.search(s.apiVersion(), s.customerId(), t,
                    new GoogleAds.SearchRequest(query, null)));
            JsonArray results = answer.body().getJsonArray("results");
            if (results == null || results.isEmpty()) {
                return new ListReport(null, null);
            }
            JsonObject l = results.getJsonObject(0).getJsonObject("userList");
            return new ListReport(l.containsKey("sizeForSearch") ? Long.valueOf(l.getString("sizeForSearch")) : null,
                    l.containsKey("matchRatePercentage") ? l.getInt("matchRatePercentage") : null);
        }

        private static String jobId(SyncJobs.Job job) {
            return job.resourceName().substring(job.resourceName().lastIndexOf('/') + 1);
        }

        /** Resource names go into GAQL text: only Google's own shape is accepted. */
        private static String checked(String resourceName) {
            if (!resourceName.matches("customers/\\d+/(userLists|offlineUserDataJobs)/\\d+")) {
                throw new IllegalArgumentException("not a Google Ads resource name: " + resourceName);
            }
            return resourceName;
        }
    }

    /** The Data Manager API: synchronous ingest and remove requests. */
    final class DataManagerTransport implements CustomerMatch {
        private final GoogleSettings s;
        private final GoogleCalls calls;
        private final DataManagerApi api;
        private final GoogleAdsTransport lists;

        DataManagerTransport(GoogleSettings settings, GoogleCalls calls) {
            this.s = settings;
            this.calls = calls;
            this.api = GoogleClients.build(DataManagerApi.class, settings.dataManagerUrl() + "/", settings);
            this.lists = new GoogleAdsTransport(settings, calls);
        }

        /** Lists are Google Ads lists: created through the Google Ads API (the Data Manager's own list calls are unconfirmed). */
        @Override
        public String createUserList(String name, String description) {
            return lists.createUserList(name, description);
        }

        @Override
        public String createJob(SyncJobs.Job job, String adUserData, String adPersonalization) {
            return "datamanager/" + job.id();
        }

        @Override
        public Sent send(SyncJobs.Job job, List<SyncJobs.Item> items, String adUserData, String adPersonalization) {
            var members = items.stream().map(i -> DataManager.member(CustomerIdentifiers.fromJson(i.identifiers()))).toList();
            String list = job.userList().substring(job.userList().lastIndexOf('/') + 1);
            var destination = List.of(new DataManager.Destination(new DataManager.ProductAccount(s.customerId(), "GOOGLE_ADS"),
                    s.loginCustomerId() == null ? null : new DataManager.ProductAccount(s.loginCustomerId(), "GOOGLE_ADS"), list));
            GoogleCalls.Answer answer = job.kind().equals("add")
                    ? calls.call("sending members to the Data Manager API", t -> api.ingest(t, new DataManager.IngestRequest(
                    destination, members, new DataManager.Consent(DataManager.consent(adUserData), DataManager.consent(adPersonalization)),
                    "HEX", new DataManager.TermsOfService("ACCEPTED"))))
                    : calls.call("removing members through the Data Manager API", t -> api.remove(t,
                    new DataManager.RemoveRequest(destination, members, "HEX")));
            return new Sent(answer.body().getString("requestId", answer.requestId()), Map.of());
        }

        @Override
        public void run(SyncJobs.Job job) {
        }

        @Override
        public Status status(SyncJobs.Job job) {
            return new Status("SUCCESS", null);
        }

        @Override
        public ListReport report(String userList) {
            return lists.report(userList);
        }
    }
}
