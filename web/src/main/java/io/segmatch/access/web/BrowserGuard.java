package io.segmatch.access.web;

import io.segmatch.access.boundary.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Every request passes here after authentication: the security headers; for a state-changing
 * API request authenticated by the session cookie, the console's own origin and a JSON, CSV or
 * multipart body (a cross-site form can send neither); and for console uploads,
 * {@code segmatch.upload.max-bytes} before any part is read.
 */
@WebFilter(filterName = "BrowserGuard", urlPatterns = "/*", asyncSupported = true)
public class BrowserGuard extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> BROWSER_BODIES = Set.of("application/json", "text/csv", "multipart/form-data");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        SecurityHeaders.apply(request, response);
        boolean write = !SAFE_METHODS.contains(request.getMethod());
        Object via = request.getAttribute(SegmatchAuthentication.VIA);
        boolean byHeader = via == SegmatchAuthentication.Via.TOKEN || via == SegmatchAuthentication.Via.BASIC;
        if (write && !byHeader) {
            // console pages (and the login form) too: a browser that names another origin is refused
            String origin = request.getHeader("Origin");
            String refusal = origin != null && !origin.equalsIgnoreCase(RequestOrigin.origin(request))
                    ? "a request from another origin (" + origin + ") is refused"
                    : via != null && PublicPaths.isApi(request) ? crossSiteRefusal(request) : null;
            if (refusal != null) {
                Challenges.problem(request, response, 403, "cross-site-request", "Forbidden", refusal);
                return;
            }
        }
        if (write && !PublicPaths.isApi(request) && request.getContentType() != null
                && request.getContentType().toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            long max = ConfigProvider.getConfig().getOptionalValue("segmatch.upload.max-bytes", Long.class)
                    .orElse(4L * 1024 * 1024 * 1024);
            if (request.getContentLengthLong() > max) {
                Challenges.problem(request, response, 413, "upload-too-large", "Upload too large",
                        "the upload is larger than segmatch.upload.max-bytes (" + max + " bytes)");
                return;
            }
        }
        if (!write && request.getAttribute(SegmatchAuthentication.CALLER) instanceof Caller caller
                && caller.mustChangePassword() && via == SegmatchAuthentication.Via.SESSION && isConsolePage(request)) {
            // a generated password is changed before anything else
            response.sendRedirect(request.getContextPath() + "/account.xhtml?change=required");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isConsolePage(HttpServletRequest request) {
        String path = PublicPaths.path(request);
        return (path.equals("/") || path.endsWith(".xhtml") || path.endsWith("/")) && !path.equals("/account.xhtml")
                && !PublicPaths.isApi(request) && !PublicPaths.isPublic(request);
    }

    /** Why a cookie-authenticated write is refused, or null when it comes from the console itself. */
    static String crossSiteRefusal(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        boolean sameOrigin = origin != null ? origin.equalsIgnoreCase(RequestOrigin.origin(request))
                : "same-origin".equals(request.getHeader("Sec-Fetch-Site"));
        if (!sameOrigin) {
            return "a request authenticated by the console's session must come from the console's own origin"
                    + " (use an API token for scripts)";
        }
        String type = request.getContentType();
        String base = type == null ? null : type.split(";")[0].strip().toLowerCase(Locale.ROOT);
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (base == null ? hasBody || !"DELETE".equals(request.getMethod()) : !BROWSER_BODIES.contains(base)) {
            return "a request authenticated by the console's session must send application/json, text/csv"
                    + " or multipart/form-data";
        }
        return null;
    }
}
