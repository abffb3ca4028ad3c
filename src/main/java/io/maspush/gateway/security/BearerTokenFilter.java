package io.maspush.gateway.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironments;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>} against the configured clients and,
 * when {@code gateway.security.jwt} is set, as a JWT from the identity provider. On the
 * relay path the token may instead come in the header MAS Manage puts its API key in (an
 * environment's {@code api-key-header}), because that is the only credential Manage can
 * send. A request without a token goes on unauthenticated (and is refused later if its
 * path needs a client); a malformed header, an unknown token or a refused JWT is refused
 * here, so a wrong token never falls through to anonymous access.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private static final String PREFIX = "Bearer ";

    /** The path of MAS's own {@code sendMessage}, which the relay answers on. */
    static final String RELAY_PATH = "/pushnotification/sendMessage";

    private final ClientRegistry clients;

    private final JwtClients jwtClients;

    private final AuthenticationEntryPoint entryPoint;

    private final PushEnvironments environments;

    BearerTokenFilter(ClientRegistry clients, JwtClients jwtClients, AuthenticationEntryPoint entryPoint,
            PushEnvironments environments) {
        this.environments = environments;
        this.clients = clients;
        this.jwtClients = jwtClients;
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String token;
        if (header != null) {
            if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) || header.length() == PREFIX.length()) {
                this.entryPoint.commence(request, response,
                        new BadCredentialsException("The Authorization header must be 'Bearer <token>'"));
                return;
            }
            token = header.substring(PREFIX.length()).strip();
        }
        else {
            token = relayKey(request);
            if (token == null) {
                chain.doFilter(request, response);
                return;
            }
        }
        GatewayClient client = this.clients.authenticate(token).orElse(null);
        if (client == null && this.jwtClients.accepts(token)) {
            try {
                client = this.jwtClients.authenticate(token);
            }
            catch (AuthenticationException ex) {
                this.entryPoint.commence(request, response, ex);
                return;
            }
        }
        if (client == null) {
            this.entryPoint.commence(request, response,
                    new BadCredentialsException((header != null)
                            ? "The bearer token does not belong to any configured client"
                            : "The key in the API key header is not the token of any configured client; set MAS's"
                                    + " push notification API Key to a gateway client token"));
            return;
        }
        SecurityContextHolder.getContext().setAuthentication(new ClientAuthentication(client));
        CallerKey.set(request, token);
        chain.doFilter(request, response);
    }

    private String relayKey(HttpServletRequest request) {
        if (!RELAY_PATH.equals(request.getRequestURI())) {
            return null;
        }
        for (PushEnvironment environment : this.environments.all()) {
            String value = request.getHeader(environment.settings().apiKeyHeader());
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    /**
     * An authenticated client.
     */
    static final class ClientAuthentication extends AbstractAuthenticationToken {

        private final GatewayClient client;

        ClientAuthentication(GatewayClient client) {
            super(client.roles().stream().map((role) -> new SimpleGrantedAuthority("ROLE_" + role.name())).toList());
            this.client = client;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public GatewayClient getPrincipal() {
            return this.client;
        }

        @Override
        public String getName() {
            return this.client.id();
        }

    }

}
