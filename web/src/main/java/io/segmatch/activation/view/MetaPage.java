package io.segmatch.activation.view;

import io.segmatch.access.control.Role;
import io.segmatch.access.view.Me;
import io.segmatch.activation.boundary.Activation;
import io.segmatch.activation.meta.MetaAudiences;
import io.segmatch.activation.meta.MetaException;
import io.segmatch.activation.meta.MetaSettings;
import io.segmatch.activation.store.GoogleAdsConnection;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.time.Instant;

/**
 * The console's Meta page ({@code /meta.xhtml}, admins): the connection's state, storing or
 * forgetting a system user's token (never shown again), and a connection test that asks Meta
 * whether the token works and the ad account's Custom Audience terms are accepted.
 */
@Named
@RequestScoped
public class MetaPage {

    @Inject
    Activation activation;

    private Activation.MetaState state;
    private boolean configuredToken;
    private String token;
    private String message;
    private boolean ok;

    @PostConstruct
    void load() {
        state = activation.meta();
        configuredToken = ConfigProvider.getConfig().getOptionalValue("segmatch.meta.access-token", String.class)
                .filter(v -> !v.isBlank()).isPresent();
    }

    /** "connected", "new token needed" (Meta refused the token) or "not connected". */
    public String getState() {
        if (state.stored().needsToken()) {
            return "new token needed";
        }
        return state.stored().stored() || configuredToken ? "connected" : "not connected";
    }

    /** Stores the entered token, encrypted (admins only); the field is never filled again. */
    public String store() {
        String entered = token == null ? "" : token.trim();
        token = null;
        if (!Me.allowed(Role.Names.ADMIN)) {
            return null;
        }
        if (!GoogleAdsConnection.keyConfigured()) {
            show(false, "No secret key is configured, so the token cannot be stored encrypted: set segmatch.secret-key first.");
            return null;
        }
        if (entered.isEmpty() || entered.length() > 4096 || !entered.matches("[A-Za-z0-9_\\-.|]+")) {
            show(false, "Paste the system user's access token as Meta shows it (letters and digits, no spaces).");
            return null;
        }
        activation.connectMeta(entered);
        return "/meta?faces-redirect=true&stored=true";
    }

    /** Forgets the stored token (admins only). */
    public String forget() {
        if (!Me.allowed(Role.Names.ADMIN)) {
            return null;
        }
        activation.disconnectMeta();
        return "/meta?faces-redirect=true";
    }

    /** Asks Meta, with the token in use, whether the ad account's Custom Audience terms are accepted. */
    public String test() {
        if (!Me.allowed(Role.Names.ADMIN)) {
            return null;
        }
        MetaSettings settings = MetaSettings.fromConfig();
        String stored = activation.storedMetaToken();
        String inUse = stored != null ? stored : settings.accessToken();
        try {
            boolean accepted = MetaAudiences.of(settings, () -> inUse, Duration.ZERO, outcome -> { }).termsAccepted();
            show(accepted, accepted
                    ? "Meta accepted the token, and the Custom Audience terms of ad account act_" + settings.adAccountId()
                    + " are accepted: segments can sync."
                    : "Meta accepted the token, but the Custom Audience terms of ad account act_" + settings.adAccountId()
                    + " are not accepted: a person of the business accepts them at "
                    + "https://business.facebook.com/ads/manage/customaudiences/tos/?act=" + settings.adAccountId()
                    + ", then syncs go on.");
        } catch (MetaException e) {
            show(false, "Meta refused: " + e.getMessage());
        } catch (RuntimeException e) {
            show(false, "Meta could not be asked: " + e.getMessage());
        }
        return null;
    }

    private void show(boolean ok, String message) {
        this.ok = ok;
        this.message = message;
    }

    public String getToken() {
        return null;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public String getMessage() {
        return message;
    }

    public boolean isOk() {
        return ok;
    }

    public boolean isKeyConfigured() {
        return GoogleAdsConnection.keyConfigured();
    }

    /** The token in use comes from the configuration (none is stored). */
    public boolean isFromConfiguration() {
        return configuredToken && !state.stored().stored();
    }

    public boolean isStored() {
        return state.stored().stored();
    }

    public String getProblem() {
        return state.stored().problem();
    }

    public Instant getLastSync() {
        return state.lastSync();
    }

    /** Until when Meta asked syncs to wait, or null. */
    public Instant getPausedUntil() {
        Instant until = state.stored().pausedUntil();
        return until != null && until.isAfter(Instant.now()) ? until : null;
    }

    public String getAdAccountId() {
        String id = MetaSettings.fromConfig().adAccountId();
        return id == null ? "not set" : "act_" + id;
    }

    public boolean isAppSecretProof() {
        return MetaSettings.fromConfig().appSecret() != null;
    }
}
