package io.segmatch.access.view;

import io.segmatch.access.boundary.Caller;
import io.segmatch.access.control.Role;
import io.segmatch.access.web.SegmatchAuthentication;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Named;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The logged-in user as the console's pages see it ({@code #{me.editor}}, {@code #{me.username}}). */
@Named
@RequestScoped
public class Me {

    public String getUsername() {
        var principal = external().getUserPrincipal();
        return principal == null ? null : principal.getName();
    }

    public String getRole() {
        return getAdmin() ? Role.Names.ADMIN : getEditor() ? Role.Names.EDITOR : getViewer() ? Role.Names.VIEWER : null;
    }

    public boolean getViewer() {
        return external().isUserInRole(Role.Names.VIEWER);
    }

    public boolean getEditor() {
        return external().isUserInRole(Role.Names.EDITOR);
    }

    public boolean getAdmin() {
        return external().isUserInRole(Role.Names.ADMIN);
    }

    /** The caller as the authentication mechanism found it. */
    public Caller getCaller() {
        return (Caller) external().getRequestMap().get(SegmatchAuthentication.CALLER);
    }

    /** For console actions: answers 403 to a caller without the role; true when the caller has it. */
    public static boolean allowed(String role) {
        if (external().isUserInRole(role)) {
            return true;
        }
        try {
            external().responseSendError(403, "this needs the role " + role);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FacesContext.getCurrentInstance().responseComplete();
        return false;
    }

    private static ExternalContext external() {
        return FacesContext.getCurrentInstance().getExternalContext();
    }
}
