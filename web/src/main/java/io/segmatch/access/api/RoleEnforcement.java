package io.segmatch.access.api;

import io.segmatch.shared.api.Problem;
import jakarta.annotation.Priority;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/**
 * {@code @RolesAllowed} on resource methods (or their class), enforced the same way on every
 * JAX-RS implementation. Closed by default: a resource method with no rule at all answers 403
 * to everyone, so an endpoint added without thinking about roles is never open.
 */
@Provider
public class RoleEnforcement implements DynamicFeature {

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        context.register(new Check(rule(resource.getResourceMethod(), resource.getResourceClass())));
    }

    /** The roles of a method: its own annotation, else its class's; empty list = nobody; null = everyone authenticated. */
    public static List<String> rule(Method method, Class<?> type) {
        if (method.isAnnotationPresent(DenyAll.class)) {
            return List.of();
        }
        if (method.isAnnotationPresent(RolesAllowed.class)) {
            return Arrays.asList(method.getAnnotation(RolesAllowed.class).value());
        }
        if (method.isAnnotationPresent(PermitAll.class)) {
            return null;
        }
        if (type.isAnnotationPresent(DenyAll.class)) {
            return List.of();
        }
        if (type.isAnnotationPresent(RolesAllowed.class)) {
            return Arrays.asList(type.getAnnotation(RolesAllowed.class).value());
        }
        if (type.isAnnotationPresent(PermitAll.class)) {
            return null;
        }
        return List.of();
    }

    @Priority(Priorities.AUTHORIZATION)
    static final class Check implements ContainerRequestFilter {
        private final List<String> roles;

        Check(List<String> roles) {
            this.roles = roles;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            var security = request.getSecurityContext();
            if (security.getUserPrincipal() == null) {
                request.abortWith(Response.fromResponse(
                                Problem.response(401, "unauthorized", "Not authenticated", "authentication required"))
                        .header("WWW-Authenticate", "Bearer realm=\"segmatch\"").build());
                return;
            }
            if (roles == null || roles.stream().anyMatch(security::isUserInRole)) {
                return;
            }
            request.abortWith(Problem.response(403, "forbidden", "Forbidden", roles.isEmpty()
                    ? "this operation is not open to anyone"
                    : "this needs the role " + String.join(" or ", roles)));
        }
    }
}
