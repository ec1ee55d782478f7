package io.segmatch.lifecycle.api;

import io.segmatch.access.control.Role;
import io.segmatch.lifecycle.boundary.HistoryAdmin;
import io.segmatch.lifecycle.store.HistoryPurges;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;

import static io.segmatch.shared.api.JsonTimes.time;
import static io.segmatch.shared.json.Jsons.JSON;

/**
 * {@code GET /api/history/retention}: how long history is kept and the last purge;
 * {@code POST /api/history/purges}: purges now (docs/reliability.md). Administrators only.
 */
@ApplicationScoped
@Path("history")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Names.ADMIN)
public class HistoryResource {

    @Inject
    HistoryAdmin history;

    @GET
    @Path("retention")
    public String retention() {
        var state = history.state();
        JsonObjectBuilder body = JSON.createObjectBuilder()
                .add("retentionDays", state.retention().toDays())
                .add("retention", state.setting());
        time(body, "cutoff", Instant.now().minus(state.retention()));
        if (state.lastPurge().isPresent()) {
            body.add("lastPurge", purge(state.lastPurge().get()));
        } else {
            body.addNull("lastPurge");
        }
        return body.build().toString();
    }

    @POST
    @Path("purges")
    public String purge() {
        return purge(history.purgeNow()).toString();
    }

    static JsonObject purge(HistoryPurges.Purge p) {
        JsonObjectBuilder b = JSON.createObjectBuilder().add("id", p.id()).add("reason", p.reason())
                .add("logEntries", p.logEntries()).add("processingRuns", p.processingRuns())
                .add("syncs", p.syncs()).add("syncJobs", p.syncJobs());
        time(b, "startedAt", p.startedAt());
        time(b, "endedAt", p.endedAt());
        time(b, "cutoff", p.cutoff());
        if (p.error() == null) {
            b.addNull("error");
        } else {
            b.add("error", p.error());
        }
        return b.build();
    }
}
