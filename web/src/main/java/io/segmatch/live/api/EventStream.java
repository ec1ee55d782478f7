package io.segmatch.live.api;

import io.segmatch.access.control.Role;
import io.segmatch.access.web.Challenges;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;

/**
 * {@code GET /api/events}: a Server-Sent Events stream of {@code segments} events. A servlet
 * rather than a JAX-RS resource, for the Servlet API's non-blocking output (see
 * {@link LiveClient}). A reconnecting client ({@code Last-Event-ID}) gets the current state at
 * once, like a new one: every event carries the whole state, so nothing is missed.
 */
@WebServlet(urlPatterns = "/api/events", asyncSupported = true)
@ServletSecurity(@HttpConstraint(rolesAllowed = {Role.Names.VIEWER, Role.Names.EDITOR, Role.Names.ADMIN}))
public class EventStream extends HttpServlet {

    @Inject
    LiveEvents events;

    @Inject
    @ConfigProperty(name = "segmatch.events.max-clients-per-user", defaultValue = "10")
    int maxPerUser;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String user = request.getUserPrincipal().getName();
        if (!events.reserve(user, maxPerUser)) {
            response.setHeader("Retry-After", "10");
            Challenges.problem(request, response, 429, "too-many-streams", "Too many requests",
                    "at most " + maxPerUser + " event streams per user (segmatch.events.max-clients-per-user)");
            return;
        }
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async;
        ServletOutputStream out;
        try {
            out = response.getOutputStream();
            async = request.startAsync();
            async.setTimeout(0);
        } catch (IOException | RuntimeException e) {
            events.release(user);
            throw e;
        }
        // from here on the stream's end (or a failure to register it) gives the reservation back
        events.connect(user, async, out);
    }
}
