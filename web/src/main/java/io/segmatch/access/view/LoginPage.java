package io.segmatch.access.view;

import io.segmatch.access.boundary.LoginResult;
import io.segmatch.access.web.SegmatchAuthentication;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters;
import jakarta.security.enterprise.credential.Password;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The login page ({@code /login.xhtml}): hands the username and password to the application's
 * authentication mechanism through {@link SecurityContext#authenticate}, then goes on to the
 * page asked for ({@code next}), or to the password change when the password was generated.
 */
@Named
@RequestScoped
public class LoginPage {

    @Inject
    SecurityContext security;

    private String username;
    private String password;
    private String next;
    private String message;

    public String login() throws IOException {
        FacesContext faces = FacesContext.getCurrentInstance();
        ExternalContext external = faces.getExternalContext();
        HttpServletRequest request = (HttpServletRequest) external.getRequest();
        HttpServletResponse response = (HttpServletResponse) external.getResponse();
        AuthenticationStatus status = security.authenticate(request, response, AuthenticationParameters.withParams()
                .credential(new UsernamePasswordCredential(username == null ? "" : username,
                        new Password(password == null ? "" : password)))
                .newAuthentication(true));
        Object result = request.getAttribute(SegmatchAuthentication.LOGIN_RESULT);
        password = null;
        if (status == AuthenticationStatus.SUCCESS && result instanceof LoginResult.Accepted accepted) {
            String target = accepted.caller().mustChangePassword() ? "/account.xhtml?change=required" : safe(nextParam());
            external.redirect(external.getRequestContextPath() + target);
            faces.responseComplete();
            return null;
        }
        if (result instanceof LoginResult.Busy) {
            message = "Too many logins are being checked right now. Try again in a few seconds.";
        } else if (result instanceof LoginResult.Locked locked) {
            message = "Too many failed logins in a row for this username. Try again after "
                    + DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(locked.until()) + ".";
        } else {
            message = "Wrong username or password.";
        }
        return null;
    }

    private String nextParam() {
        String fromForm = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap().get("next");
        return fromForm != null ? fromForm : next;
    }

    /** Only a path of this application: never another host, never the login page again. */
    static String safe(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
                || next.startsWith("/login.xhtml") || next.chars().anyMatch(Character::isISOControl)) {
            return "/";
        }
        return next;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    /** The page to go on to: the view parameter, or the form's hidden field after a failed attempt. */
    public String getNext() {
        return next != null ? next : nextParam();
    }

    public void setNext(String next) {
        this.next = next;
    }

    public String getMessage() {
        return message;
    }
}
