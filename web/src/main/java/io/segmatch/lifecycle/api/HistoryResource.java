package io.segmatch.lifecycle.api;

import io.segmatch.access.control.Role;
import io.segmatch.lifecycle.boundary.HistoryAdmin;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;

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
    public LifecycleViews.Retention retention() {
        var state = history.state();
        return new LifecycleViews.Retention(state.retention().toDays(), state.setting(),
                Instant.now().minus(state.retention()), state.lastPurge().map(LifecycleViews.Purge::of).orElse(null));
    }

    @POST
    @Path("purges")
    public LifecycleViews.Purge purge() {
        return LifecycleViews.Purge.of(history.purgeNow());
    }
}
