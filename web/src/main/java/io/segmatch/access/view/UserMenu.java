package io.segmatch.access.view;

import io.segmatch.access.boundary.AuditTrail;
import io.segmatch.access.web.SessionCookie;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** The user menu of every console page: logging out ends the session. */
@Named
@RequestScoped
public class UserMenu {

    @Inject
    AuditTrail audit;

    public String logout() throws IOException, ServletException {
        FacesContext faces = FacesContext.getCurrentInstance();
        ExternalContext external = faces.getExternalContext();
        HttpServletRequest request = (HttpServletRequest) external.getRequest();
        audit.record("logout", audit.caller(), null);
        request.logout();
        var session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SessionCookie.clear(request, (HttpServletResponse) external.getResponse());
        external.redirect(external.getRequestContextPath() + "/login.xhtml?out=1");
        faces.responseComplete();
        return null;
    }
}
