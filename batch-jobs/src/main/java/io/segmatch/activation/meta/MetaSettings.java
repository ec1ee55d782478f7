package io.segmatch.activation.meta;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.util.Optional;

/**
 * The Meta settings of docs/configuration.md, read from MicroProfile Config.
 *
 * @param adAccountId        digits only ({@code act_} is stripped), or null when not configured
 * @param accessToken        a system user's token from the configuration, or null
 * @param appSecret          the app's secret (enables {@code appsecret_proof}), or null
 * @param externId           each row's key goes to Meta as {@code EXTERN_ID}, as it is (not hashed)
 * @param waitInPlace        the longest wait Meta's usage headers may ask for that a sync sits out;
 *                           after a longer one, Meta's syncs start again once it has passed
 * @param customerFileSource {@code USER_PROVIDED_ONLY}, {@code PARTNER_PROVIDED_ONLY} or
 *                           {@code BOTH_USER_AND_PARTNER_PROVIDED}
 */
public record MetaSettings(String apiUrl, String apiVersion, String adAccountId, String accessToken, String appSecret,
                           String customerFileSource, Duration timeout, Duration maxRetryDelay, Duration waitInPlace,
                           boolean externId) {

    public static MetaSettings fromConfig() {
        Config config = ConfigProvider.getConfig();
        return new MetaSettings(
                trim(get(config, "segmatch.meta.api-url").orElse("https://graph.facebook.com")),
                get(config, "segmatch.meta.api-version").orElse("v26.0"),
                account(get(config, "segmatch.meta.ad-account-id").orElse(null)),
                get(config, "segmatch.meta.access-token").orElse(null),
                get(config, "segmatch.meta.app-secret").orElse(null),
                get(config, "segmatch.meta.customer-file-source").orElse("USER_PROVIDED_ONLY"),
                Duration.parse(get(config, "segmatch.meta.timeout").orElse("PT30S")),
                Duration.parse(get(config, "segmatch.meta.max-retry-delay").orElse("PT15M")),
                Duration.parse(get(config, "segmatch.meta.wait-in-place").orElse("PT30S")),
                Boolean.parseBoolean(get(config, "segmatch.meta.extern-id").orElse("false")));
    }

    /** An ad account id as Meta's paths take it after {@code act_}: digits only. */
    static String account(String id) {
        if (id == null) {
            return null;
        }
        String v = id.trim();
        return v.startsWith("act_") ? v.substring(4) : v;
    }

    private static Optional<String> get(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
