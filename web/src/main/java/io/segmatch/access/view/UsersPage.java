package io.segmatch.access.view;

import io.segmatch.access.boundary.Accounts;
import io.segmatch.access.boundary.Caller;
import io.segmatch.access.control.Role;
import io.segmatch.access.store.ApiTokens;
import io.segmatch.access.store.Users;
import io.segmatch.access.web.SegmatchAuthentication;
import io.segmatch.shared.error.SegmatchException;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /admin/users.xhtml}: every user (create, change role, disable, delete) and every API token. */
@Named
@ViewScoped
public class UsersPage implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Accounts accounts;

    private List<Users.User> users = List.of();
    private List<ApiTokens.Token> tokens = List.of();
    private final Map<String, String> roles = new HashMap<>();
    private String newUsername;
    private String newPassword;
    private String newRole = Role.Names.VIEWER;

    @PostConstruct
    void load() {
        users = accounts.users();
        tokens = accounts.tokens(null);
        roles.clear();
        users.forEach(u -> roles.put(u.username(), u.role().apiName()));
    }

    public void create() {
        if (!Me.allowed(Role.Names.ADMIN)) {
            return;
        }
        attempt(() -> accounts.createUser(newUsername, newPassword, newRole), "User " + newUsername + " created.");
        newPassword = null;
    }

    public void saveRole(String username) {
        if (Me.allowed(Role.Names.ADMIN)) {
            attempt(() -> accounts.changeUser(username, roles.get(username), null, null), "Role of " + username + " saved.");
        }
    }

    public void setDisabled(String username, boolean disabled) {
        if (Me.allowed(Role.Names.ADMIN)) {
            attempt(() -> accounts.changeUser(username, null, disabled, null),
                    username + (disabled ? " is disabled: its sessions and tokens no longer work." : " is enabled."));
        }
    }

    public void delete(String username) {
        if (Me.allowed(Role.Names.ADMIN)) {
            attempt(() -> {
                accounts.deleteUser(username);
                return null;
            }, username + " is deleted, with its tokens.");
        }
    }

    public void revoke(String id) {
        if (Me.allowed(Role.Names.ADMIN)) {
            attempt(() -> {
                accounts.revokeToken((Caller) FacesContext.getCurrentInstance().getExternalContext().getRequestMap()
                        .get(SegmatchAuthentication.CALLER), id);
                return null;
            }, "The token is revoked.");
        }
    }

    private void attempt(Supplier<?> action, String done) {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            action.get();
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, done, null));
            newUsername = null;
        } catch (SegmatchException e) {
            String text = e.errors().isEmpty() ? e.getMessage()
                    : e.errors().stream().map(f -> f.field() + ": " + f.message()).reduce((a, b) -> a + "; " + b).orElse("");
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, null));
        }
        load();
    }

    public List<String> getRoleNames() {
        return Arrays.stream(Role.values()).map(Role::apiName).toList();
    }

    public List<Users.User> getUsers() {
        return users;
    }

    public List<ApiTokens.Token> getTokens() {
        return tokens;
    }

    public Map<String, String> getRoles() {
        return roles;
    }

    public String getNewUsername() {
        return newUsername;
    }

    public void setNewUsername(String v) {
        this.newUsername = v;
    }

    public String getNewPassword() {
        return newPassword;
    }

    public void setNewPassword(String v) {
        this.newPassword = v;
    }

    public String getNewRole() {
        return newRole;
    }

    public void setNewRole(String v) {
        this.newRole = v;
    }
}
