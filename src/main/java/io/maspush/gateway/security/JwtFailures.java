package io.maspush.gateway.security;

import java.text.ParseException;
import java.util.stream.Collectors;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.RemoteKeySourceException;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.proc.BadJOSEException;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Why a JWT was refused, in plain words. The decoder's own messages are not passed on:
 * some quote parts of the token.
 */
final class JwtFailures {

    private JwtFailures() {
    }

    /**
     * Whether the failure lies with the identity provider rather than the token: its
     * configuration or keys could not be fetched.
     * @param failure what the decoder threw
     * @return whether the identity provider is unavailable
     */
    static boolean providerUnavailable(RuntimeException failure) {
        return failure instanceof JwtDecoderInitializationException
                || hasCause(failure, JWKSetUnavailableException.class)
                || hasCause(failure, RemoteKeySourceException.class);
    }

    static String describe(RuntimeException failure) {
        if (failure instanceof JwtValidationException invalid) {
            return invalid.getErrors().stream().map(OAuth2Error::getDescription).collect(Collectors.joining("; "));
        }
        if (failure instanceof JwtDecoderInitializationException) {
            return "the identity provider's OpenID configuration could not be fetched; try again later";
        }
        if (providerUnavailable(failure)) {
            return "the identity provider's signing keys could not be fetched; try again later";
        }
        if (hasCause(failure, ParseException.class)) {
            return "it is not a well-formed JWT";
        }
        if (hasCause(failure, BadJOSEException.class) || hasCause(failure, KeySourceException.class)) {
            return "its signature does not match any signing key of the identity provider";
        }
        return "it is not a signed JWT the gateway can verify";
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

}
