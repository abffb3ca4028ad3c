package io.maspush.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;

/**
 * The claims a JWT must satisfy once its signature is verified. Each failure is described
 * in words a caller's operator can act on, since the description becomes the 401's
 * detail.
 */
final class JwtChecks {

    private JwtChecks() {
    }

    static OAuth2TokenValidator<Jwt> of(JwtProperties properties, Clock clock) {
        List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
        checks.add(lifetime(properties.clockSkew(), clock));
        if (properties.issuerUri() != null) {
            checks.add(issuer(properties.issuerUri()));
        }
        if (properties.audience() != null) {
            checks.add(audience(properties.audience()));
        }
        return new DelegatingOAuth2TokenValidator<>(checks);
    }

    /**
     * A token without {@code exp} is refused: a bearer token that never expires stays
     * usable forever once it leaks.
     */
    private static OAuth2TokenValidator<Jwt> lifetime(Duration clockSkew, Clock clock) {
        return (jwt) -> {
            Instant now = clock.instant();
            Instant expiresAt = jwt.getExpiresAt();
            if (expiresAt == null) {
                return failure("it has no expiry (exp)");
            }
            if (now.minus(clockSkew).isAfter(expiresAt)) {
                return failure("it expired at " + expiresAt);
            }
            Instant notBefore = jwt.getNotBefore();
            if (notBefore != null && now.plus(clockSkew).isBefore(notBefore)) {
                return failure("it is not valid before " + notBefore);
            }
            return OAuth2TokenValidatorResult.success();
        };
    }

    private static OAuth2TokenValidator<Jwt> issuer(String issuer) {
        return (jwt) -> issuer.equals(jwt.getClaimAsString(JwtClaimNames.ISS)) ? OAuth2TokenValidatorResult.success()
                : failure("it was issued by another issuer than gateway.security.jwt.issuer-uri");
    }

    private static OAuth2TokenValidator<Jwt> audience(String audience) {
        return (jwt) -> (jwt.getAudience() != null && jwt.getAudience().contains(audience))
                ? OAuth2TokenValidatorResult.success()
                : failure("its audience (aud) does not include gateway.security.jwt.audience");
    }

    private static OAuth2TokenValidatorResult failure(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
    }

}
