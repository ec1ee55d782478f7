package io.segmatch.fake.google;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Google Ads API's GAQL reads Segmatch makes ({@code googleAds:search}): the account's
 * Customer Match lists, a job's status, a list's size and match rate, answered from the fake's
 * lists and jobs as Google shapes them (sizes to two significant digits, 0 under 100 people).
 */
final class GaqlSearch {

    private GaqlSearch() {
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

    /**
     * The answer to {@code query}, or null for a query Segmatch does not make (Google: 400,
     * {@code queryError UNEXPECTED_INPUT}). The caller holds {@code ads}' lock.
     */
    static JsonObject answer(String query, FakeGoogleAds ads) {
        query = query.trim().replaceAll("\\s+", " ");
        Matcher job = JOB_QUERY.matcher(query);
        Matcher list = LIST_QUERY.matcher(query);
        JsonArrayBuilder results = Json.createArrayBuilder();
        String mask;
        if (LISTS_QUERY.matcher(query).matches()) {
            for (UserList l : ads.allLists()) {
                results.add(Json.createObjectBuilder().add("userList", Json.createObjectBuilder()
                        .add("resourceName", l.resourceName).add("name", l.name)));
            }
            mask = "userList.resourceName,userList.name";
        } else if (job.matches()) {
            UserDataJob j = ads.job(job.group(1));
            if (j != null) {
                String status = ads.status(j);
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
            UserList l = ads.list(list.group(1));
            if (l != null) {
                ads.settle();
                long size = l.size() < 100 ? 0 : twoSignificant(l.size() * 55L / 100);
                results.add(Json.createObjectBuilder().add("userList", Json.createObjectBuilder()
                        .add("resourceName", l.resourceName)
                        .add("sizeForDisplay", Long.toString(size)).add("sizeForSearch", Long.toString(size))
                        .add("sizeRangeForSearch", size < 500 ? "LESS_THAN_FIVE_HUNDRED" : "ONE_THOUSAND_TO_TEN_THOUSAND")
                        .add("matchRatePercentage", l.size() == 0 ? 0 : 55)
                        .add("membershipStatus", "OPEN")
                        .add("crmBasedUserList", Json.createObjectBuilder().add("uploadKeyType", "CONTACT_INFO"))));
            }
            mask = "userList.sizeForDisplay,userList.sizeForSearch,userList.sizeRangeForSearch,userList.matchRatePercentage,"
                    + "userList.membershipStatus,userList.crmBasedUserList.uploadKeyType";
        } else {
            return null;
        }
        return Json.createObjectBuilder().add("results", results).add("fieldMask", mask)
                .add("queryResourceConsumption", "12").build();
    }

    private static long twoSignificant(long n) {
        if (n < 100) {
            return n;
        }
        long scale = (long) Math.pow(10, (long) Math.log10(n) - 1);
        return Math.round((double) n / scale) * scale;
    }
}
