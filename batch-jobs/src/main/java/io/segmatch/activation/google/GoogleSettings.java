package io.segmatch.activation.google;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.util.Optional;

/** The Google Ads settings of docs/configuration.md, read from MicroProfile Config. */
public record GoogleSettings(String api, String apiUrl, String apiVersion, String dataManagerUrl, String customerId,
                             String loginCustomerId, String developerToken, String clientId, String clientSecret,
                             String authUrl, String tokenUrl, String refreshToken, boolean canonicalGmail,
                             Duration timeout, Duration maxRetryDelay) {

    /** People per offline user data job unless configured: Google recommends at most a million operations per job. */
    public static final int JOB_PEOPLE = 1_000_000;

    public static GoogleSettings fromConfig() {
        Config config = ConfigProvider.getConfig();
        return new GoogleSettings(
                get(config, "segmatch.googleads.api").orElse("google-ads"),
                trim(get(config, "segmatch.googleads.api-url").orElse("https://googleads.googleapis.com")),
                get(config, "segmatch.googleads.api-version").orElse("v26"),
                trim(get(config, "segmatch.googleads.datamanager-url").orElse("https://datamanager.googleapis.com")),
                digits(get(config, "segmatch.googleads.customer-id").orElse(null)),
                digits(get(config, "segmatch.googleads.login-customer-id").orElse(null)),
                get(config, "segmatch.googleads.developer-token").orElse(null),
                get(config, "segmatch.googleads.oauth.client-id").orElse(null),
                get(config, "segmatch.googleads.oauth.client-secret").orElse(null),
                get(config, "segmatch.googleads.oauth.auth-url").orElse("https://accounts.google.com/o/oauth2/v2/auth"),
                get(config, "segmatch.googleads.oauth.token-url").orElse("https://oauth2.googleapis.com/token"),
                get(config, "segmatch.googleads.oauth.refresh-token").orElse(null),
                Boolean.parseBoolean(get(config, "segmatch.googleads.canonical-gmail").orElse("true")),
                Duration.parse(get(config, "segmatch.googleads.timeout").orElse("PT30S")),
                Duration.parse(get(config, "segmatch.googleads.max-retry-delay").orElse("PT2M")));
    }

    /**
     * {@code segmatch.googleads.job-people}, read on its own: only the Google Ads API's syncs
     * use it, so a wrong value stops those and nothing else (Meta's syncs, the connect flow).
     */
    public static int jobPeopleFromConfig() {
        return jobPeople(get(ConfigProvider.getConfig(), "segmatch.googleads.job-people").orElse(null));
    }

    /** {@code segmatch.googleads.job-people}: a whole number from 1 to {@link #JOB_PEOPLE}, or unset. */
    static int jobPeople(String setting) {
        if (setting == null) {
            return JOB_PEOPLE;
        }
        try {
            int n = Integer.parseInt(setting);
            if (n >= 1 && n <= JOB_PEOPLE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("segmatch.googleads.job-people must be a whole number from 1 to " + JOB_PEOPLE
                + ", not " + setting);
    }

    public boolean dataManager() {
        return "data-manager".equals(api);
    }

    private static Optional<String> get(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Customer ids: digits only (hyphens allowed in the setting and stripped). */
    static String digits(String id) {
        return id == null ? null : id.replace("-", "");
    }
}
