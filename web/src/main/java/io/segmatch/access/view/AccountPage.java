package io.segmatch.access.view;

import io.segmatch.access.boundary.Accounts;
import io.segmatch.access.boundary.Caller;
import io.segmatch.access.control.Role;
import io.segmatch.access.store.ApiTokens;
import io.segmatch.access.web.SegmatchAuthentication;
import io.segmatch.shared.error.SegmatchException;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * {@code /account.xhtml}: one's own password and API tokens. A new token is shown once, here,
 * right after it is created; only its digest is kept.
 */
@Named
@ViewScoped
public class AccountPage implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Accounts accounts;

    private String currentPassword;
    private String newPassword;
    private String repeatPassword;
    private String tokenName;
    private String tokenRole;
    private String tokenExpires;
    private String createdToken;
    private List<ApiTokens.Token> tokens = List.of();
    private boolean mustChange;

    @PostConstruct
    void load() {
        Caller caller = caller();
        mustChange = caller != null && caller.mustChangePassword();
        tokenRole = caller == null ? Role.Names.VIEWER : caller.role().apiName();
        tokens = caller == null ? List.of() : accounts.tokens(caller.username());
    }

    public void changePassword() {
        if (newPassword == null || !newPassword.equals(repeatPassword)) {
            error("repeat", "The two new passwords differ.");
            return;
        }
        try {
            accounts.changeOwnPassword(caller().username(), currentPassword, newPassword);
            SegmatchAuthentication.keepSessionAfterOwnPasswordChange(
                    (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest());
            mustChange = false;
            info("Your password is changed.");
        } catch (SegmatchException e) {
            error(e.kind() == SegmatchException.Kind.FORBIDDEN ? "current" : "new",
                    e.kind() == SegmatchException.Kind.FORBIDDEN ? "The current password is not right."
                            : "The new password " + e.errors().get(0).message() + ".");
        } finally {
            currentPassword = null;
            newPassword = null;
            repeatPassword = null;
        }
    }

    public void createToken() {
        try {
            String expires = tokenExpires == null || tokenExpires.isBlank() ? null
                    : LocalDate.parse(tokenExpires).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
            createdToken = accounts.createToken(caller(), tokenName, tokenRole, expires).text();
            tokenName = null;
            tokenExpires = null;
            tokens = accounts.tokens(caller().username());
        } catch (SegmatchException e) {
            error("tokenName", e.errors().isEmpty() ? e.getMessage()
                    : e.errors().get(0).field() + ": " + e.errors().get(0).message());
        } catch (DateTimeParseException e) {
            error("tokenName", "The expiry date is not a date.");
        }
    }

    public void revoke(String id) {
        accounts.revokeToken(caller(), id);
        tokens = accounts.tokens(caller().username());
        info("The token is revoked.");
    }

    /** The roles a new token may have: the caller's and the lower ones. */
    public List<String> getRoles() {
        Caller caller = caller();
        return Arrays.stream(Role.values()).filter(r -> caller != null && caller.role().includes(r)).map(Role::apiName).toList();
    }

    private static Caller caller() {
        return (Caller) FacesContext.getCurrentInstance().getExternalContext().getRequestMap().get(SegmatchAuthentication.CALLER);
    }

    private static void info(String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, text, null));
    }

    private static void error(String field, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, null));
    }

    public boolean isMustChange() {
        return mustChange;
    }

    public String getCurrentPassword() {
        return currentPassword;
    }

    public void setCurrentPassword(String v) {
        this.currentPassword = v;
    }

    public String getNewPassword() {
        return newPassword;
    }

    public void setNewPassword(String v) {
        this.newPassword = v;
    }

    public String getRepeatPassword() {
        return repeatPassword;
    }

    public void setRepeatPassword(String v) {
        this.repeatPassword = v;
    }

    public String getTokenName() {
        return tokenName;
    }

    public void setTokenName(String v) {
        this.tokenName = v;
    }

    public String getTokenRole() {
        return tokenRole;
    }

    public void setTokenRole(String v) {
        this.tokenRole = v;
    }

    public String getTokenExpires() {
        return tokenExpires;
    }

    public void setTokenExpires(String v) {
        this.tokenExpires = v;
    }

    public String getCreatedToken() {
        return createdToken;
    }

    public List<ApiTokens.Token> getTokens() {
        return tokens;
    }
}
