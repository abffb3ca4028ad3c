package io.maspush.gateway.pushconfig;

import io.maspush.gateway.web.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * The ways an administrator's request can be refused.
 */
final class PushConfigProblems {

    private PushConfigProblems() {
    }

    static ErrorResponseException unknownEnvironment(String environment) {
        return new ErrorResponseException(HttpStatus.NOT_FOUND,
                Problems.of(HttpStatus.NOT_FOUND, "environment-not-found", "Environment not found",
                        "There is no push environment '" + printable(environment)
                                + "'; environments are configured under gateway.environments"),
                null);
    }

    static ErrorResponseException otherEnvironment(String client, String environment) {
        return new ErrorResponseException(HttpStatus.FORBIDDEN,
                Problems.of(HttpStatus.FORBIDDEN, "other-environment", "Not allowed in this environment",
                        "Client '" + client + "' is bound to another environment than '" + printable(environment)
                                + "'; an administrator of every environment is bound to '*'"),
                null);
    }

    static ErrorResponseException invalid(String detail) {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST,
                Problems.of(HttpStatus.BAD_REQUEST, "invalid-push-config", "Invalid push settings", detail), null);
    }

    static ErrorResponseException encryptionKeyMissing() {
        return new ErrorResponseException(HttpStatus.CONFLICT, Problems.of(HttpStatus.CONFLICT,
                "encryption-key-missing", "Cannot store an API key",
                "GATEWAY_ENCRYPTION_KEY is not set, so the gateway cannot store an API key encrypted and never stores"
                        + " one in clear text. Set GATEWAY_ENCRYPTION_KEY to the base64 of 32 random bytes (openssl"
                        + " rand -base64 32) and restart, or provide the key as a mounted file (api-key-file)"),
                null);
    }

    private static String printable(String text) {
        String shortened = (text.length() > 64) ? text.substring(0, 64) + "..." : text;
        return shortened.replaceAll("[^\\x20-\\x7E]", "?");
    }

}
