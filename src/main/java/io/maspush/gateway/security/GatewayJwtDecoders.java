package io.maspush.gateway.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

/**
 * Builds the decoder that checks a caller's JWT: its signature against the identity
 * provider's published keys, then its lifetime, issuer and audience ({@link JwtChecks}).
 * Nothing is fetched while building: the keys (and, with only an issuer configured, the
 * OpenID configuration that says where they are) are fetched when the first JWT arrives,
 * so the gateway starts while the identity provider is down.
 */
final class GatewayJwtDecoders {

    /**
     * Only asymmetric algorithms: the keys come from a public key set, and a shared
     * secret published there would let anyone who reads it sign tokens.
     */
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    /** Access tokens are typed {@code JWT}, {@code at+jwt} (RFC 9068) or not at all. */
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPES = new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null);

    private static final int SIZE_LIMIT = 512 * 1024;

    private static final String DISCOVERY_PATH = "/.well-known/openid-configuration";

    private GatewayJwtDecoders() {
    }

    static JwtDecoder create(JwtProperties properties, Clock clock) {
        int timeoutMillis = Math.toIntExact(properties.timeout().toMillis());
        ResourceRetriever retriever = new DefaultResourceRetriever(timeoutMillis, timeoutMillis, SIZE_LIMIT);
        if (properties.jwkSetUri() != null) {
            return decoder(url(properties.jwkSetUri()), retriever, properties, clock);
        }
        // SupplierJwtDecoder keeps nothing from a failed attempt, so discovery is retried
        // with
        // the next token until it succeeds once.
        return new SupplierJwtDecoder(
                () -> decoder(discoverKeySet(properties, retriever), retriever, properties, clock));
    }

    private static JwtDecoder decoder(URL jwkSetUri, ResourceRetriever retriever, JwtProperties properties,
            Clock clock) {
        // The JWK source caches the keys and refetches them at most every 30 seconds when
        // a
        // token names an unknown key, so forged tokens cannot make the gateway hammer the
        // identity provider.
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(TYPES);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS,
                JWKSourceBuilder.<SecurityContext>create(jwkSetUri, retriever).build()));
        // The claims are checked by JwtChecks, which says why a token is refused.
        processor.setJWTClaimsSetVerifier((claims, context) -> {
        });
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(JwtChecks.of(properties, clock));
        return decoder;
    }

    private static URL discoverKeySet(JwtProperties properties, ResourceRetriever retriever) {
        String issuer = properties.issuerUri();
        URL location = url(issuer.replaceAll("/+$", "") + DISCOVERY_PATH);
        Map<String, Object> configuration;
        try {
            configuration = JSONObjectUtils.parse(retriever.retrieveResource(location).getContent());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not fetch the OpenID configuration from " + location, ex);
        }
        catch (ParseException ex) {
            throw new IllegalStateException("The OpenID configuration at " + location + " is not a JSON object", ex);
        }
        if (!issuer.equals(configuration.get("issuer"))) {
            throw new IllegalStateException("The OpenID configuration at " + location + " names issuer '"
                    + configuration.get("issuer") + "', not gateway.security.jwt.issuer-uri");
        }
        if (!(configuration.get("jwks_uri") instanceof String jwkSetUri)) {
            throw new IllegalStateException("The OpenID configuration at " + location + " has no jwks_uri");
        }
        if (!jwkSetUri.startsWith("https://") && !(properties.allowInsecureUri() && jwkSetUri.startsWith("http://"))) {
            throw new IllegalStateException(
                    "The OpenID configuration at " + location + " has a jwks_uri that is" + " not https");
        }
        return url(jwkSetUri);
    }

    private static URL url(String uri) {
        try {
            return URI.create(uri).toURL();
        }
        catch (MalformedURLException | IllegalArgumentException ex) {
            throw new IllegalStateException("Not a URL: " + uri, ex);
        }
    }

}
