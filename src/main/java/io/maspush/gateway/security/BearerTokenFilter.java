package io.maspush.gateway.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

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
 * when {@code gateway.security.jwt} is set, as a JWT from the identity provider. A
 * request without the header goes on unauthenticated (and is refused later if its path
 * needs a client); a malformed header, an unknown token or a refused JWT is refused here,
 * so a wrong token never falls through to anonymous access.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    private static final String PREFIX = "Bearer ";

    private final ClientRegistry clients;

    private final JwtClients jwtClients;

    private final AuthenticationEntryPoint entryPoint;

    BearerTokenFilter(ClientRegistry clients, JwtClients jwtClients, AuthenticationEntryPoint entryPoint) {
        this.clients = clients;
        this.jwtClients = jwtClients;
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) || header.length() == PREFIX.length()) {
            this.entryPoint.commence(request, response,
                    new BadCredentialsException("The Authorization header must be 'Bearer <token>'"));
            return;
        }
        String token = header.substring(PREFIX.length()).strip();
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
                    new BadCredentialsException("The bearer token does not belong to any configured client"));
            return;
        }
        SecurityContextHolder.getContext().setAuthentication(new ClientAuthentication(client));
        chain.doFilter(request, response);
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
