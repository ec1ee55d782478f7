package io.segmatch.live.api;

import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /api/events}: a Server-Sent Events stream of {@code segments} events. A servlet
 * rather than a JAX-RS resource, for the Servlet API's non-blocking output (see
 * {@link LiveClient}). A reconnecting client ({@code Last-Event-ID}) gets the current state at
 * once, like a new one: every event carries the whole state, so nothing is missed.
 */
@WebServlet(urlPatterns = "/api/events", asyncSupported = true)
public class EventStream extends HttpServlet {

    @Inject
    LiveEvents events;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        events.connect(async, response.getOutputStream());
    }
}
