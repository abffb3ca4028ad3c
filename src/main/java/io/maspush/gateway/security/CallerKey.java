package io.maspush.gateway.security;

import io.maspush.gateway.secret.Secret;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The token an authenticated caller presented, kept on the request for the relay, which
 * must cut it out of the body it forwards.
 */
public final class CallerKey {

    private static final String ATTRIBUTE = CallerKey.class.getName();

    private CallerKey() {
    }

    static void set(HttpServletRequest request, String token) {
        request.setAttribute(ATTRIBUTE, Secret.ofNullable(token));
    }

    /**
     * The caller's token.
     * @param request the request
     * @return the token, or {@code null} when the request was not authenticated by one
     */
    public static Secret of(HttpServletRequest request) {
        return (request.getAttribute(ATTRIBUTE) instanceof Secret secret) ? secret : null;
    }

}
