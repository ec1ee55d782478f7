package io.segmatch.access.web;

import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * The session cookie of a new login, set again by the application so that it is
 * {@code HttpOnly}, {@code SameSite=Lax} and, when the browser used HTTPS (directly or through a
 * trusted proxy), {@code Secure}: a server's own cookie settings cannot know about the proxy.
 */
public final class SessionCookie {

    private SessionCookie() {
    }

    public static void reissue(HttpServletRequest request, HttpServletResponse response, HttpSession session) {
        response.addCookie(cookie(request, session.getId()));
    }

    /** Clears the session cookie (at logout). */
    public static void clear(HttpServletRequest request, HttpServletResponse response) {
        Cookie cookie = cookie(request, "");
        cookie.setMaxAge(0);
        response.addCookie(cookie);
    }

    private static Cookie cookie(HttpServletRequest request, String value) {
        SessionCookieConfig config = request.getServletContext().getSessionCookieConfig();
        Cookie cookie = new Cookie(config.getName() != null ? config.getName() : "JSESSIONID", value);
        cookie.setPath(config.getPath() != null ? config.getPath()
                : request.getContextPath().isEmpty() ? "/" : request.getContextPath());
        cookie.setHttpOnly(true);
        cookie.setSecure(RequestOrigin.secure(request));
        cookie.setAttribute("SameSite", "Lax");
        return cookie;
    }
}
