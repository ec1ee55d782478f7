package io.segmatch.segments.api;

import io.segmatch.access.control.Role;
import io.segmatch.segments.boundary.Segments;
import io.segmatch.shared.api.QueryParams;
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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/** The segments API: definitions and the live preview (docs/segments.md). */
@ApplicationScoped
@Path("segments")
@Produces(MediaType.APPLICATION_JSON)
public class SegmentsResource {

    @Context
    SecurityContext security;

    @Inject
    Segments segments;

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    public List<SegmentViews.SegmentView> list() {
        return segments.list().stream().map(SegmentViews.SegmentView::of).toList();
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    public Response create(String body, @Context UriInfo uri) {
        var segment = segments.create(SegmentRequests.segment(body), security.isUserInRole(Role.Names.ADMIN));
        return Response.created(uri.getAbsolutePathBuilder().path(segment.getId()).build())
                .entity(SegmentViews.SegmentView.of(segment)).build();
    }

    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}")
    public SegmentViews.SegmentView get(@PathParam("id") String id) {
        return SegmentViews.SegmentView.of(segments.get(id));
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("{id}")
    public SegmentViews.SegmentView update(@PathParam("id") String id, String body) {
        return SegmentViews.SegmentView.of(segments.update(id, SegmentRequests.segment(body),
                security.isUserInRole(Role.Names.ADMIN)));
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        segments.delete(id, security.isUserInRole(Role.Names.ADMIN));
        return Response.noContent().build();
    }

    /** {@code {members: [{key, since}], next}}: keyset paging by key; {@code prefix} narrows to keys starting with it. */
    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}/members")
    public SegmentViews.MembersPage members(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("100") String limit,
                          @QueryParam("after") String after, @QueryParam("prefix") String prefix) {
        int n = QueryParams.limit(limit, 1000);
        var page = segments.members(id, after, prefix, n);
        return new SegmentViews.MembersPage(page.stream().limit(n).map(SegmentViews.Member::of).toList(),
                page.size() > n ? page.get(n - 1).key() : null);
    }

    /** {@code {changes: [{id, key, change, at, runId}], next}}: the enter/exit log, oldest first, paged by id. */
    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}/changes")
    public SegmentViews.ChangesPage changes(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("100") String limit,
                          @QueryParam("after") String after) {
        int n = QueryParams.limit(limit, 1000);
        var page = segments.changes(id, QueryParams.after(after), n, false);
        return new SegmentViews.ChangesPage(page.stream().limit(n).map(SegmentViews.Change::of).toList(),
                page.size() > n ? page.get(n - 1).id() : null);
    }

    /** {@code [{runId, at, entered, exited, memberCount}]}: the count after each of the newest runs that changed it, oldest first. */
    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}/history")
    public List<SegmentViews.Point> history(@PathParam("id") String id,
                                            @QueryParam("limit") @DefaultValue("200") String limit) {
        return segments.history(id, QueryParams.limit(limit, 1000)).stream().map(SegmentViews.Point::of).toList();
    }

    /** The same history drawn as a picture (SVG): the count as a line, enters and exits per run as bars. */
    @RolesAllowed({Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN})
    @GET
    @Path("{id}/history.svg")
    @Produces("image/svg+xml")
    public Response historyChart(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("200") String limit) {
        return Response.ok(MemberChart.svg(segments.history(id, QueryParams.limit(limit, 1000))))
                .header("Cache-Control", "no-cache").build();
    }

    @RolesAllowed({Role.Names.EDITOR, Role.Names.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("preview")
    public SegmentViews.PreviewView preview(String body) {
        return SegmentViews.PreviewView.of(segments.preview(SegmentRequests.preview(body)));
    }
}
