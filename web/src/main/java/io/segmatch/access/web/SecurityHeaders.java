package io.segmatch.access.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Headers on every answer: a Content Security Policy without inline script or anything from
 * another origin, no framing, no MIME sniffing, referrers only to this origin, and no caching
 * of personal data.
 */
public final class SecurityHeaders {

    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    public static void apply(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("X-Frame-Options", "DENY");
        String path = PublicPaths.path(request);
        if (!path.startsWith("/jakarta.faces.resource/") && !path.startsWith("/webjars/")) {
            response.setHeader("Cache-Control", "no-store");
        }
        if (RequestOrigin.secure(request)) {
            response.setHeader("Strict-Transport-Security", "max-age=31536000");
        }
    }
}
