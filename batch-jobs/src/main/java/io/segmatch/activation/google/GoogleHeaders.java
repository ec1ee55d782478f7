package io.segmatch.activation.google;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

/**
 * Adds the Google Ads API's optional headers when they are configured: {@code login-customer-id}
 * (the manager account) and {@code developer-token}. Never sent empty: Google refuses an
 * empty {@code login-customer-id} ({@code INVALID_LOGIN_CUSTOMER_ID}), and on Payara Server a
 * null header parameter goes out as an empty header.
 */
public final class GoogleHeaders implements ClientRequestFilter {

    private final String loginCustomerId;
    private final String developerToken;

    public GoogleHeaders(String loginCustomerId, String developerToken) {
        this.loginCustomerId = loginCustomerId;
        this.developerToken = developerToken;
    }

    @Override
    public void filter(ClientRequestContext request) {
        if (loginCustomerId != null && !loginCustomerId.isBlank()) {
            request.getHeaders().putSingle("login-customer-id", loginCustomerId);
        }
        if (developerToken != null && !developerToken.isBlank()) {
            request.getHeaders().putSingle("developer-token", developerToken);
        }
    }
}
