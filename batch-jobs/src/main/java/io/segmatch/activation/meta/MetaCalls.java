package io.segmatch.activation.meta;

import io.segmatch.shared.error.RootCause;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * Calls Meta's Graph API with docs/activation.md's policy for Meta: every call carries the
 * token as {@code Authorization: Bearer} and, when an app secret is configured, a fresh
 * {@code appsecret_proof} with its {@code appsecret_time}; failures are classified by Meta's
 * error code and subcode ({@link #failure}); transient ones are tried again with an
 * exponential backoff and jitter, or after the time Meta's usage headers give; a usage at
 * 95 % or more of a quota, or a time to regain access, pauses the next call for that long.
 */
public final class MetaCalls {

    private static final Logger LOG = Logger.getLogger(MetaCalls.class.getName());
    static final int ATTEMPTS = 6;
    /** Usage headers Meta may send, each a percentage of a quota (throttling starts at 100). */
    static final String BUSINESS_USAGE = "x-business-use-case-usage";
    static final String ACCOUNT_USAGE = "x-ad-account-usage";
    static final String APP_USAGE = "x-app-usage";

    private static final Set<Integer> TRANSIENT_CODES = Set.of(1, 2, 4, 17, 32, 341, 368, 613);
    private static final Set<Integer> TERMS_SUBCODES = Set.of(1870090, 1870034, 1870092);
    private static final Set<Integer> GONE_SUBCODES = Set.of(1487301, 1487366);

    private final Supplier<String> token;
    private final String appSecret;
    private final String adAccountId;
    private final Duration maxDelay;
    private final Duration waitInPlace;
    private final Duration firstBackoff;
    private final Consumer<String> outcomes;
    private final Sleeper sleeper;
    private final Clock clock;
    private volatile long pausedUntilMillis;

    /** How a wait happens ({@code Thread::sleep}; a test records the waits instead). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** What a call sends to authenticate: the header, and the proof with its time (both null without an app secret). */
    public record Auth(String authorization, String appSecretProof, Long appSecretTime) {
    }

    /** An answer's JSON body. */
    public record Answer(JsonObject body) {
    }

    /**
     * @param token    the access token (null when none is configured or stored)
     * @param outcomes told of every request's outcome: {@code success}, {@code retried}, {@code deferred} (a wait Meta asked
     *                 for, left to a later sync) or {@code failed}
     */
    public MetaCalls(Supplier<String> token, MetaSettings settings, Duration firstBackoff, Consumer<String> outcomes) {
        this(token, settings, firstBackoff, settings.maxRetryDelay(), outcomes);
    }

    /**
     * @param waitInPlace the longest wait Meta asks for (its usage headers) that a call sits
     *                    out; a longer one is thrown as a {@link MetaException} with its
     *                    {@link MetaException#retryDelay()}, for the sync to come back later
     *                    instead of holding everything else up
     */
    public MetaCalls(Supplier<String> token, MetaSettings settings, Duration firstBackoff, Duration waitInPlace,
                     Consumer<String> outcomes) {
        this(token, settings.appSecret(), settings.adAccountId(), settings.maxRetryDelay(), firstBackoff, outcomes,
                Thread::sleep, Clock.systemUTC(), waitInPlace);
    }

    MetaCalls(Supplier<String> token, String appSecret, String adAccountId, Duration maxDelay, Duration firstBackoff,
              Consumer<String> outcomes, Sleeper sleeper, Clock clock) {
        this(token, appSecret, adAccountId, maxDelay, firstBackoff, outcomes, sleeper, clock, maxDelay);
    }

    MetaCalls(Supplier<String> token, String appSecret, String adAccountId, Duration maxDelay, Duration firstBackoff,
              Consumer<String> outcomes, Sleeper sleeper, Clock clock, Duration waitInPlace) {
        this.token = token;
        this.appSecret = appSecret;
        this.adAccountId = adAccountId;
        this.maxDelay = maxDelay;
        this.waitInPlace = waitInPlace;
        this.firstBackoff = firstBackoff;
        this.outcomes = outcomes;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /** Calls {@code call} until it succeeds or fails finally. */
    public Answer call(String what, Function<Auth, Response> call) {
        for (int attempt = 1; ; attempt++) {
            long pause = pausedUntilMillis - clock.millis();
            if (pause > waitInPlace.toMillis()) {
                outcomes.accept("deferred");
                throw new MetaException(0, 80003, 0, MetaException.Kind.TRANSIENT, what + " waits: Meta's usage headers "
                        + "asked to pause calls of this ad account for " + Duration.ofMillis(pause).toSeconds() + " s",
                        Duration.ofMillis(pause));
            }
            if (pause > 0) {
                LOG.info("Meta's usage headers asked for a pause: " + what + " waits " + pause + " ms");
                sleep(Math.min(pause, maxDelay.toMillis()));
            }
            MetaException failure;
            String sent = token.get();
            try {
                Response response = call.apply(auth(sent));
                try {
                    String text = response.hasEntity() ? response.readEntity(String.class) : "";
                    JsonObject body = json(text);
                    Duration regain = usage(response);
                    if (response.getStatus() < 300 && body != null && !body.containsKey("error")) {
                        outcomes.accept("success");
                        return new Answer(body);
                    }
                    failure = failure(response.getStatus(), body, what, regain, adAccountId);
                } finally {
                    response.close();
                }
            } catch (ProcessingException e) {
                failure = new MetaException(0, 0, 0, MetaException.Kind.TRANSIENT, "Meta could not be reached (" + what
                        + "): " + RootCause.message(e), null);
            }
            failure.sentWith(fingerprint(sent));
            if (!failure.retryable() || attempt >= ATTEMPTS) {
                outcomes.accept("failed");
                throw failure;
            }
            if (failure.retryDelay() != null && failure.retryDelay().compareTo(waitInPlace) > 0) {
                outcomes.accept("deferred");
                throw failure;
            }
            outcomes.accept("retried");
            Duration wait = failure.retryDelay() != null ? failure.retryDelay() : firstBackoff.multipliedBy(1L << (attempt - 1));
            if (wait.compareTo(maxDelay) > 0) {
                wait = maxDelay;
            }
            long jitter = failure.retryDelay() != null ? 0 : ThreadLocalRandom.current().nextLong(wait.toMillis() / 4 + 1);
            LOG.info(failure.getMessage() + "; retry " + attempt + " in " + (wait.toMillis() + jitter) + " ms");
            sleep(wait.toMillis() + jitter);
        }
    }

    private Auth auth(String t) {
        if (t == null || t.isBlank()) {
            throw new MetaException(0, 0, 0, MetaException.Kind.TOKEN, "there is no Meta access token: an admin enters a "
                    + "system user's token on the console's Meta page (or sets segmatch.meta.access-token)", null);
        }
        if (appSecret == null) {
            return new Auth("Bearer " + t, null, null);
        }
        long time = clock.instant().getEpochSecond();
        return new Auth("Bearer " + t, proof(appSecret, t, time), time);
    }

    /**
     * An access token's fingerprint: SHA-256, lower-case hex; null for no token. It tells
     * which token a refused call carried without keeping the token.
     */
    public static String fingerprint(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** {@code appsecret_proof}: HMAC-SHA256 of {@code token|time} keyed by the app secret, lower-case hex. */
    public static String proof(String appSecret, String token, long time) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((token + "|" + time).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /**
     * Reads the usage headers: the time to regain access Meta gives (minutes), or a minute
     * when a quota is used at 95 % or more; then the next call waits that long. Returns the
     * time to regain access (null when Meta gave none).
     */
    private Duration usage(Response response) {
        double highest = 0;
        long regainMinutes = 0;
        for (String header : new String[]{BUSINESS_USAGE, ACCOUNT_USAGE, APP_USAGE}) {
            String value = response.getHeaderString(header);
            if (value == null || value.isBlank()) {
                continue;
            }
            try {
                JsonValue json = JSON.createReader(new StringReader(value)).readValue();
                Usage u = Usage.of(json);
                highest = Math.max(highest, u.percent);
                regainMinutes = Math.max(regainMinutes, u.regainMinutes);
            } catch (RuntimeException e) {
                LOG.fine(() -> "unreadable " + header + ": " + value);
            }
        }
        long pause = regainMinutes > 0 ? Duration.ofMinutes(regainMinutes).toMillis() : highest >= 95 ? 60_000 : 0;
        if (pause > 0) {
            pausedUntilMillis = Math.max(pausedUntilMillis, clock.millis() + pause);
            LOG.info("Meta's usage is at " + highest + " %" + (regainMinutes > 0 ? ", access regained in " + regainMinutes
                    + " min" : "") + ": the next call waits");
        }
        return regainMinutes > 0 ? Duration.ofMinutes(regainMinutes) : null;
    }

    /** The highest percentage in a usage header and its longest time to regain access (minutes). */
    private record Usage(double percent, long regainMinutes) {
        static Usage of(JsonValue json) {
            double percent = 0;
            long regain = 0;
            if (json instanceof JsonObject o) {
                for (var e : o.entrySet()) {
                    if (e.getValue() instanceof JsonNumber n) {
                        if (e.getKey().equals("estimated_time_to_regain_access")) {
                            regain = Math.max(regain, n.longValue());
                        } else if (e.getKey().endsWith("_pct") || Set.of("call_count", "total_cputime", "total_time")
                                .contains(e.getKey())) {
                            percent = Math.max(percent, n.doubleValue());
                        }
                    } else {
                        Usage inner = of(e.getValue());
                        percent = Math.max(percent, inner.percent);
                        regain = Math.max(regain, inner.regainMinutes);
                    }
                }
            } else if (json != null && json.getValueType() == JsonValue.ValueType.ARRAY) {
                for (JsonValue v : json.asJsonArray()) {
                    Usage inner = of(v);
                    percent = Math.max(percent, inner.percent);
                    regain = Math.max(regain, inner.regainMinutes);
                }
            }
            return new Usage(percent, regain);
        }
    }

    /**
     * Reads Meta's error into an exception: transient (retry), or final with what the user
     * must do. Codes and subcodes decide, as Meta asks; the HTTP status only where the answer
     * holds no Graph error (an HTML page or an empty body from a proxy: 5xx is transient).
     *
     * @param regain the usage headers' time to regain access, or null
     */
    static MetaException failure(int status, JsonObject body, String what, Duration regain, String adAccountId) {
        JsonObject error = body == null ? null : body.getJsonObject("error");
        if (error == null) {
            boolean transientStatus = status >= 500 || status == 429 || body == null;
            return new MetaException(status, 0, 0, transientStatus ? MetaException.Kind.TRANSIENT : MetaException.Kind.INVALID,
                    what + " failed: Meta answered HTTP " + status + " without a Graph API error", null);
        }
        int code = error.getInt("code", 0);
        int subcode = error.getInt("error_subcode", 0);
        boolean isTransient = error.getBoolean("is_transient", false);
        String said = error.containsKey("error_user_msg")
                ? error.getString("error_user_title", "") + (error.containsKey("error_user_title") ? ": " : "")
                + error.getString("error_user_msg", "")
                : error.getString("message", "HTTP " + status);
        MetaException.Kind kind;
        Duration delay = null;
        if (code == 190) {
            kind = MetaException.Kind.TOKEN;
        } else if (TERMS_SUBCODES.contains(subcode) || code == 2663 || code == 2655) {
            kind = MetaException.Kind.TERMS;
        } else if (GONE_SUBCODES.contains(subcode) || code == 100 && subcode == 33) {
            kind = MetaException.Kind.AUDIENCE_GONE;
        } else if (isTransient || TRANSIENT_CODES.contains(code) || code >= 80000 && code <= 80014
                || code == 2650 && (subcode == 1870145 || subcode == 1870148)) {
            kind = MetaException.Kind.TRANSIENT;
            if (code == 80003 || code >= 80000 && code <= 80014) {
                delay = regain != null && regain.compareTo(Duration.ofMinutes(1)) > 0 ? regain : Duration.ofMinutes(1);
            } else if (code == 368) {
                delay = Duration.ofMinutes(10);
            }
        } else if (code == 200 && subcode == 1870047) {
            // "Audience Size too Low": the removal would leave too few people; it waits for a later sync
            kind = MetaException.Kind.INVALID;
        } else if (code == 10 || code >= 200 && code <= 299) {
            kind = MetaException.Kind.PERMISSION;
        } else {
            kind = MetaException.Kind.INVALID;
        }
        String account = adAccountId == null ? "<ad account id>" : adAccountId;
        String todo = switch (kind) {
            case TOKEN -> "; the access token is invalid or has expired: an admin enters a new system user token on the "
                    + "console's Meta page";
            case TERMS -> "; the ad account's Custom Audience terms are not accepted: a person of the business accepts them at "
                    + "https://business.facebook.com/ads/manage/customaudiences/tos/?act=" + account
                    + ", then the next sync goes on";
            case PERMISSION -> "; the system user lacks a permission: give it ads_management and access to ad account act_"
                    + account;
            case AUDIENCE_GONE -> "; the audience was deleted or is not shared with the ad account";
            default -> "";
        };
        String plain = what + " failed: " + said + " (code " + code + (subcode == 0 ? "" : ", subcode " + subcode) + ") [HTTP "
                + status + "]" + todo;
        return new MetaException(status, code, subcode, kind, plain, delay);
    }

    private static JsonObject json(String text) {
        if (text == null || text.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try {
            return JSON.createReader(new StringReader(text)).readObject();
        } catch (RuntimeException e) {
            // an HTML page from a proxy, or JSON that is not an object
            return null;
        }
    }


    private void sleep(long millis) {
        try {
            sleeper.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetaException(0, 0, 0, MetaException.Kind.INVALID, "the sync was interrupted", null);
        }
    }
}
