package io.segmatch.activation.google;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Google's OAuth token endpoint (the base URI is the whole token URL). */
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@Produces(MediaType.APPLICATION_JSON)
public interface OAuthApi {

    @POST
    Response refresh(@FormParam("grant_type") String grantType, @FormParam("refresh_token") String refreshToken,
                     @FormParam("client_id") String clientId, @FormParam("client_secret") String clientSecret);

    @POST
    Response exchange(@FormParam("grant_type") String grantType, @FormParam("code") String code,
                      @FormParam("redirect_uri") String redirectUri, @FormParam("client_id") String clientId,
                      @FormParam("client_secret") String clientSecret);
}
