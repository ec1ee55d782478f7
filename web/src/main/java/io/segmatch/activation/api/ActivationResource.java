package io.segmatch.activation.api;

import io.segmatch.access.control.Role;
import io.segmatch.activation.boundary.Activation;
import io.segmatch.activation.store.Destination;
import io.segmatch.activation.store.GoogleAdsConnection;
import io.segmatch.shared.api.QueryParams;
import io.segmatch.shared.error.SegmatchException;
import io.segmatch.shared.error.SegmatchException.FieldError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Instant;
import java.util.List;

/** The activation API: the Google Ads and Meta connections (never a token), the sync runs, starting a sync. */
@ApplicationScoped
@Path("activation")
@Produces(MediaType.APPLICATION_JSON)
public class ActivationResource {

    @Inject
    Activation activation;

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("google-ads")
    public ActivationViews.Connection googleAds() {
        var config = ConfigProvider.getConfig();
        var state = activation.connection();
        boolean configuredToken = config.getOptionalValue("segmatch.googleads.oauth.refresh-token", String.class)
                .filter(v -> !v.isBlank()).isPresent();
        return new ActivationViews.Connection((state.stored().stored() && !state.stored().needsReconnect()) || configuredToken,
                state.stored().needsReconnect(),
                config.getOptionalValue("segmatch.googleads.customer-id", String.class).orElse(null),
                config.getOptionalValue("segmatch.googleads.login-customer-id", String.class).orElse(null),
                config.getOptionalValue("segmatch.googleads.api", String.class).orElse("google-ads"),
                state.lastSync(), state.stored().problem());
    }

    /** 202: a sync of every activated segment started now (or the one running goes on). */
    @RolesAllowed(Role.Names.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("runs")
    public Response start() {
        var batch = activation.start();
        return Response.accepted(new ActivationViews.Started(batch.isPresent(), batch.orElse(null))).build();
    }

    /** 204: the stored Google connection is forgotten (the refresh token is deleted). */
    @RolesAllowed(Role.Names.ADMIN)
    @DELETE
    @Path("google-ads")
    public Response disconnect() {
        activation.disconnect();
        return Response.noContent().build();
    }

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("runs")
    public List<ActivationViews.SyncRun> runs(@QueryParam("segmentId") String segmentId,
                                               @QueryParam("destination") String destination,
                                               @QueryParam("limit") @DefaultValue("20") String limit) {
        return activation.runs(segmentId == null || segmentId.isBlank() ? null : segmentId, destination(destination),
                        QueryParams.limit(limit, 100))
                .stream().map(ActivationViews.SyncRun::of).toList();
    }

    private static Destination destination(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (Destination d : Destination.values()) {
            if (d.apiName().equals(value.trim())) {
                return d;
            }
        }
        throw SegmatchException.invalid("invalid-parameter", "destination must be google-ads or meta",
                List.of(FieldError.field("destination", "google-ads or meta, not '" + value + "'")));
    }

    /** The Meta connection (never the token): whether a token is there, the ad account, a pause Meta asked for. */
    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("meta")
    public ActivationViews.MetaConnection meta() {
        var config = ConfigProvider.getConfig();
        var state = activation.meta();
        boolean configuredToken = config.getOptionalValue("segmatch.meta.access-token", String.class)
                .filter(v -> !v.isBlank()).isPresent();
        String account = config.getOptionalValue("segmatch.meta.ad-account-id", String.class).map(String::trim)
                .filter(v -> !v.isEmpty()).map(v -> v.startsWith("act_") ? v.substring(4) : v).orElse(null);
        boolean proof = config.getOptionalValue("segmatch.meta.app-secret", String.class).filter(v -> !v.isBlank()).isPresent();
        Instant paused = state.stored().pausedUntil();
        return new ActivationViews.MetaConnection((state.stored().stored() || configuredToken) && !state.stored().needsToken(),
                state.stored().needsToken(), account, proof, paused != null && paused.isAfter(Instant.now()) ? paused : null,
                state.lastSync(), state.stored().problem());
    }

    /** 200: a system user's access token is stored, encrypted (it is never shown again). */
    @RolesAllowed(Role.Names.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("meta")
    public ActivationViews.MetaConnection connectMeta(ActivationViews.MetaToken body) {
        String token = body == null ? null : body.accessToken();
        if (token == null || token.isBlank()) {
            throw SegmatchException.invalid("invalid-meta-token", "accessToken is required",
                    List.of(FieldError.field("accessToken", "a Meta system user's access token")));
        }
        if (token.length() > 4096 || !token.trim().matches("[A-Za-z0-9_\\-.|]+")) {
            throw SegmatchException.invalid("invalid-meta-token", "accessToken is not a Meta access token",
                    List.of(FieldError.field("accessToken", "letters and digits as Meta issues them (at most 4,096), "
                            + "without spaces")));
        }
        if (!GoogleAdsConnection.keyConfigured()) {
            throw SegmatchException.conflict("no-secret-key", GoogleAdsConnection.NO_KEY.replace("Google Ads", "Meta"));
        }
        activation.connectMeta(token.trim());
        return meta();
    }

    /** 204: the stored Meta token is forgotten. */
    @RolesAllowed(Role.Names.ADMIN)
    @DELETE
    @Path("meta")
    public Response disconnectMeta() {
        activation.disconnectMeta();
        return Response.noContent().build();
    }
}
