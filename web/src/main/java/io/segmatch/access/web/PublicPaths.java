package io.segmatch.access.web;

import jakarta.servlet.http.HttpServletRequest;

/** The few paths anyone may reach, and which paths are API (401) rather than console (login page). */
final class PublicPaths {

    private PublicPaths() {
    }

    /** The login page, the console's static resources (styles, scripts) and the health checks. */
    static boolean isPublic(HttpServletRequest request) {
        String path = path(request);
        return path.equals("/login.xhtml") || path.startsWith("/jakarta.faces.resource/")
                || path.equals("/health") || path.startsWith("/health/") || path.equals("/favicon.ico");
    }

    /** Paths whose callers are programs: the API, metrics and the API description. */
    static boolean isApi(HttpServletRequest request) {
        String path = path(request);
        return path.startsWith("/api/") || path.equals("/api") || path.startsWith("/metrics")
                || path.startsWith("/openapi");
    }

    /**
     * The path within the application as the container mapped it (decoded, without
     * {@code ;parameters} or dot segments), so that no spelling of a path escapes the checks.
     */
    static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        if (servletPath == null || (servletPath.isEmpty() && request.getPathInfo() == null)) {
            return request.getRequestURI().substring(request.getContextPath().length());
        }
        return servletPath + (request.getPathInfo() == null ? "" : request.getPathInfo());
    }
}
