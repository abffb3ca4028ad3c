package io.maspush.gateway.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Callers that authenticate with a JWT from an identity provider, under
 * {@code gateway.security.jwt}. JWT callers are accepted only when {@code issuer-uri} or
 * {@code jwk-set-uri} is set; the clients under {@code gateway.clients} work either way.
 *
 * @param issuerUri the identity provider's issuer: every token must carry exactly this
 * {@code iss}. Without {@code jwk-set-uri} the signing keys are found through the
 * issuer's OpenID configuration ({@code <issuer-uri>/.well-known/openid-configuration}),
 * fetched when the first JWT arrives rather than at startup, so that the gateway starts
 * while the identity provider is down
 * @param jwkSetUri where the identity provider publishes its signing keys (a JWK set)
 * @param audience when set, a token's {@code aud} must contain it, so that tokens issued
 * for other services are refused
 * @param clientIdClaim the claim that names the calling client, recorded with what it
 * sends; a token without it falls back to {@code sub}
 * @param rolesClaim the claim that lists the client's roles, as a JSON array or a
 * space-separated string of {@code SEND} and {@code ADMIN}; other values are ignored
 * @param environmentClaim the claim that names the push environment the client is bound
 * to; a token without it is bound to {@code default}
 * @param clockSkew how far the gateway's clock and the identity provider's may drift
 * apart before a token counts as expired or not yet valid
 * @param timeout how long fetching the OpenID configuration or the keys may take
 * @param allowInsecureUri whether {@code http://} URIs are accepted (only for a local
 * stand-in: keys fetched in clear text could be replaced on the way)
 */
@ConfigurationProperties("gateway.security.jwt")
public record JwtProperties(String issuerUri, String jwkSetUri, String audience,
        @DefaultValue("azp") String clientIdClaim, @DefaultValue("roles") String rolesClaim,
        @DefaultValue("environment") String environmentClaim, @DefaultValue("60s") Duration clockSkew,
        @DefaultValue("5s") Duration timeout, @DefaultValue("false") boolean allowInsecureUri) {

    private static final String PREFIX = "gateway.security.jwt.";

    public JwtProperties {
        // Blank counts as unset, so that an empty environment variable turns JWT callers
        // off.
        issuerUri = blankToNull(issuerUri);
        jwkSetUri = blankToNull(jwkSetUri);
        audience = blankToNull(audience);
        checkUri("issuer-uri", issuerUri, allowInsecureUri);
        checkUri("jwk-set-uri", jwkSetUri, allowInsecureUri);
        checkClaim("client-id-claim", clientIdClaim);
        checkClaim("roles-claim", rolesClaim);
        checkClaim("environment-claim", environmentClaim);
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException(PREFIX + "clock-skew must be between 0s and 5m");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(PREFIX + "timeout must be positive");
        }
    }

    /**
     * Whether JWT callers are accepted at all.
     * @return whether an issuer or a key set is configured
     */
    public boolean enabled() {
        return this.issuerUri != null || this.jwkSetUri != null;
    }

    private static String blankToNull(String value) {
        return (value == null || value.isBlank()) ? null : value.strip();
    }

    private static void checkUri(String name, String value, boolean allowInsecure) {
        if (value == null) {
            return;
        }
        String scheme;
        try {
            URI uri = new URI(value);
            scheme = (uri.getScheme() != null && uri.getHost() != null) ? uri.getScheme().toLowerCase(Locale.ROOT)
                    : null;
        }
        catch (URISyntaxException ex) {
            scheme = null;
        }
        if (!"https".equals(scheme) && !(allowInsecure && "http".equals(scheme))) {
            throw new IllegalArgumentException(PREFIX + name + " must be an absolute https URI"
                    + (allowInsecure ? " or http URI" : " (http only with " + PREFIX + "allow-insecure-uri=true)"));
        }
    }

    private static void checkClaim(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(PREFIX + name + " must name a claim");
        }
    }

}
