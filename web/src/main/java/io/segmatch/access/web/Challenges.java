package io.segmatch.access.web;

import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static io.segmatch.shared.json.Jsons.JSON;

/** Answers written outside JAX-RS: the mechanism's 401, 429, 503 and login redirect, and other servlets' problems. */
public final class Challenges {

    static final String REALM = "Bearer realm=\"segmatch\"";

    private Challenges() {
    }

    static void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        response.setHeader("WWW-Authenticate", REALM);
        problem(request, response, 401, "unauthorized", "Not authenticated", detail);
    }

    static AuthenticationStatus locked(HttpServletRequest request, HttpServletResponse response, Instant until) {
        try {
            response.setHeader("Retry-After", Long.toString(SegmatchAuthentication.secondsUntil(until)));
            problem(request, response, 429, "login-locked", "Too many failed logins",
                    "too many failed logins in a row for this username; try again after " + until);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return AuthenticationStatus.SEND_CONTINUE;
    }

    static AuthenticationStatus busy(HttpServletRequest request, HttpServletResponse response) {
        try {
            response.setHeader("Retry-After", "5");
            problem(request, response, 503, "login-busy", "Service unavailable",
                    "too many logins are being checked at once; try again in a few seconds (or use an API token)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return AuthenticationStatus.SEND_CONTINUE;
    }

    static void redirect(HttpServletRequest request, HttpServletResponse response, String location) throws IOException {
        SecurityHeaders.apply(request, response);
        if ("partial/ajax".equals(request.getHeader("Faces-Request"))) {
            // a Faces Ajax request follows a redirect only when told in a partial response
            response.setContentType("text/xml");
            response.setCharacterEncoding("UTF-8");
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><partial-response><redirect url=\""
                    + location.replace("&", "&amp;").replace("\"", "&quot;") + "\"/></partial-response>")
                    .getBytes(StandardCharsets.UTF_8);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } else {
            response.setStatus(303);
            response.setHeader("Location", location);
            response.setContentLength(0);
        }
        response.flushBuffer();
    }

    /** A problem document (with the security headers), written and committed at once. */
    public static void problem(HttpServletRequest request, HttpServletResponse response, int status, String type, String title,
                        String detail) throws IOException {
        SecurityHeaders.apply(request, response);
        byte[] body = JSON.createObjectBuilder().add("type", "https://segmatch.io/problems/" + type).add("title", title)
                .add("status", status).add("detail", detail).build().toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
