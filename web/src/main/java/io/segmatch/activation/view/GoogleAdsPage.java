package io.segmatch.activation.view;

import io.segmatch.access.control.Role;
import io.segmatch.access.view.Me;
import io.segmatch.activation.boundary.Activation;
import io.segmatch.activation.store.GoogleAdsConnection;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Instant;

/** The console's Google Ads page ({@code /google-ads.xhtml}): the connection, and how to connect or reconnect. */
@Named
@RequestScoped
public class GoogleAdsPage {

    @Inject
    Activation activation;

    private Activation.Connection connection;
    private boolean configuredToken;

    @PostConstruct
    void load() {
        connection = activation.connection();
        configuredToken = ConfigProvider.getConfig().getOptionalValue("segmatch.googleads.oauth.refresh-token", String.class)
                .filter(v -> !v.isBlank()).isPresent();
    }

    /** "connected", "reconnect" (Google refused the stored authorization) or "not connected". */
    public String getState() {
        if (connection.stored().needsReconnect()) {
            return "reconnect";
        }
        return connection.stored().stored() || configuredToken ? "connected" : "not connected";
    }

    /** Forgets the stored authorization (admins only). */
    public String disconnect() {
        if (!Me.allowed(Role.Names.ADMIN)) {
            return null;
        }
        activation.disconnect();
        return "/google-ads?faces-redirect=true";
    }

    /** Whether a secret key is configured (without one, the token could not be stored). */
    public boolean isKeyConfigured() {
        return GoogleAdsConnection.keyConfigured();
    }

    public boolean isFromConfiguration() {
        return configuredToken && !connection.stored().stored();
    }

    public String getProblem() {
        return connection.stored().problem();
    }

    public Instant getConnectedAt() {
        return connection.stored().connectedAt();
    }

    public Instant getLastSync() {
        return connection.lastSync();
    }

    public String getCustomerId() {
        return ConfigProvider.getConfig().getOptionalValue("segmatch.googleads.customer-id", String.class).orElse("not set");
    }

    public String getApi() {
        return ConfigProvider.getConfig().getOptionalValue("segmatch.googleads.api", String.class).orElse("google-ads");
    }
}
