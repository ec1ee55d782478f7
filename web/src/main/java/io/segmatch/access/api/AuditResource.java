package io.segmatch.access.api;

import io.segmatch.access.boundary.AuditTrail;
import io.segmatch.access.control.Role;
import io.segmatch.shared.api.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;


/** {@code GET /api/audit?limit=100&after=ID}: the audit log, newest first; {@code after} continues below an id. */
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Names.ADMIN)
public class AuditResource {

    @Inject
    AuditTrail audit;

    @GET
    public List<AccessViews.AuditEntry> list(@QueryParam("limit") @DefaultValue("100") String limit, @QueryParam("after") String after) {
        long before = QueryParams.after(after);
        return audit.page(before == 0 ? null : before, QueryParams.limit(limit, 1000)).stream()
                .map(AccessViews.AuditEntry::of).toList();
    }
}
