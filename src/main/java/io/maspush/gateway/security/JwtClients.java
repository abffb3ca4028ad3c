package io.maspush.gateway.security;

import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.stereotype.Component;

/**
 * Turns a caller's JWT into a {@link GatewayClient}: the client id, roles and push
 * environment come from the claims named under {@code gateway.security.jwt}. Every
 * refusal is a {@link BadCredentialsException} whose message says why without quoting the
 * token.
 */
@Component
class JwtClients {

    private static final Logger logger = LoggerFactory.getLogger(JwtClients.class);

    /** A compact JWS: three base64url parts. */
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    /**
     * Fits the notification table's client column and reads safely in logs and metrics.
     */
    private static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7E]{1,100}");

    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z0-9_*-]{1,64}");

    private static final String REFUSED = "The bearer token is a JWT that was refused: ";

    private final JwtProperties properties;

    private final JwtDecoder decoder;

    private final PushEnvironments environments;

    private final ClientRegistry configuredClients;

    JwtClients(JwtProperties properties, Clock clock, PushEnvironments environments, ClientRegistry configuredClients) {
        this.properties = properties;
        this.decoder = properties.enabled() ? GatewayJwtDecoders.create(properties, clock) : null;
        this.environments = environments;
        this.configuredClients = configuredClients;
    }

    /**
     * Whether this token is for this class to check: JWT callers are configured and the
     * token has the shape of a signed JWT.
     * @param token the bearer token
     * @return whether to call {@link #authenticate(String)}
     */
    boolean isEnabled() {
        return this.decoder != null;
    }

    boolean accepts(String token) {
        return this.decoder != null && COMPACT_JWS.matcher(token).matches();
    }

    GatewayClient authenticate(String token) {
        Jwt jwt = decode(token);
        String id = clientId(jwt);
        Set<Role> roles = roles(jwt);
        return new GatewayClient(id, roles, environment(jwt, roles));
    }

    private Jwt decode(String token) {
        try {
            return this.decoder.decode(token);
        }
        catch (RuntimeException ex) {
            String reason = JwtFailures.describe(ex);
            if (JwtFailures.providerUnavailable(ex)) {
                logger.warn("JWT refused because the identity provider is unavailable: {}", ex.getMessage());
            }
            else {
                logger.debug("JWT refused: {}", reason);
            }
            throw new BadCredentialsException(REFUSED + reason);
        }
    }

    private String clientId(Jwt jwt) {
        String claim = this.properties.clientIdClaim();
        Object id = jwt.getClaims().containsKey(claim) ? jwt.getClaims().get(claim) : jwt.getSubject();
        if (!(id instanceof String text) || !CLIENT_ID.matcher(text).matches()) {
            throw new BadCredentialsException(REFUSED + "its '" + claim + "' (or 'sub') claim must name the client"
                    + " in 1 to 100 printable ASCII characters without spaces");
        }
        // A JWT client sharing a configured client's id would read that client's
        // notifications and use its idempotency keys.
        if (this.configuredClients.hasClient(text)) {
            throw new BadCredentialsException(
                    REFUSED + "its client id '" + text + "' belongs to a client configured" + " under gateway.clients");
        }
        return text;
    }

    private Set<Role> roles(Jwt jwt) {
        Object claim = jwt.getClaims().get(this.properties.rolesClaim());
        Stream<String> names = Stream.empty();
        if (claim instanceof Collection<?> values) {
            names = values.stream().map(String::valueOf);
        }
        else if (claim instanceof String text) {
            names = Arrays.stream(text.strip().split("\\s+"));
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        names.map((name) -> name.toUpperCase(Locale.ROOT))
            .flatMap((name) -> Arrays.stream(Role.values()).filter((role) -> role.name().equals(name)))
            .forEach(roles::add);
        if (roles.isEmpty()) {
            throw new BadCredentialsException(REFUSED + "it has no roles: its '" + this.properties.rolesClaim()
                    + "' claim names none of SEND, ADMIN and RELAY");
        }
        return Set.copyOf(roles);
    }

    private String environment(Jwt jwt, Set<Role> roles) {
        String claim = this.properties.environmentClaim();
        Object value = jwt.getClaims().getOrDefault(claim, PushEnvironment.DEFAULT);
        if (!(value instanceof String name) || !ENVIRONMENT_NAME.matcher(name).matches()) {
            throw new BadCredentialsException(REFUSED + "its '" + claim + "' claim is not an environment name");
        }
        if (ClientRegistry.ALL_ENVIRONMENTS.equals(name)) {
            if (roles.contains(Role.SEND) || roles.contains(Role.RELAY)) {
                throw new BadCredentialsException(REFUSED + "its '" + claim + "' claim is '*', but a client with"
                        + " role SEND or RELAY must be bound to one environment");
            }
            return name;
        }
        if (this.environments.find(name).isEmpty()) {
            throw new BadCredentialsException(REFUSED + "its '" + claim + "' claim names environment '" + name
                    + "', which is not a configured push environment");
        }
        return name;
    }

}
