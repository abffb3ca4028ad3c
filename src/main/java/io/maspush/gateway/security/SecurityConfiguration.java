package io.maspush.gateway.security;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;

import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may call what. The API is stateless: every request carries a client's bearer token,
 * there are no sessions, no cookies and therefore no CSRF exposure. Without any client
 * configured the gateway refuses to start rather than run open by accident.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * No observation of every security filter and authorization: on the relay those cost
     * a tenth of the CPU, for meters no dashboard or alert of the gateway reads;
     * {@code http_server_requests} still times every request.
     * @return the settings
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Match request paths with path patterns, as the controllers do, rather than asking
     * Spring MVC's handler mappings on every request which handler a path would reach.
     * @return the factory of the matchers behind {@code requestMatchers(String...)}
     */
    @Bean
    static PathPatternRequestMatcherBuilderFactoryBean requestMatcherBuilder() {
        return new PathPatternRequestMatcherBuilderFactoryBean();
    }

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityFilterChain apiSecurity(HttpSecurity http, ClientRegistry clients, SecurityProperties security,
            ClientRateLimits rateLimits, ProblemWriter problemWriter, PushEnvironments environments,
            JwtClients jwtClients) throws Exception {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers(problemWriter);
        http.csrf(AbstractHttpConfigurer::disable)
            .httpBasic(AbstractHttpConfigurer::disable)
            .formLogin(AbstractHttpConfigurer::disable)
            .logout(AbstractHttpConfigurer::disable)
            .requestCache(AbstractHttpConfigurer::disable)
            .sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .exceptionHandling(
                    (exceptions) -> exceptions.authenticationEntryPoint(handlers).accessDeniedHandler(handlers));
        configureCors(http, security.cors().allowedOrigins());
        if (!security.enabled()) {
            logger.warn("Security is switched off (gateway.security.enabled=false): every request is let in as client"
                    + " 'anonymous'. Never run like this where anyone else can reach the gateway");
            GatewayClient anonymous = new GatewayClient("anonymous", EnumSet.of(Role.SEND, Role.ADMIN, Role.RELAY),
                    environments.names().get(0));
            http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
                .addFilterBefore(new AnonymousClientFilter(anonymous), AnonymousAuthenticationFilter.class);
            return http.build();
        }
        if (clients.isEmpty() && !jwtClients.isEnabled()) {
            throw new IllegalStateException("No client is configured, so nobody could call the gateway. Configure one:"
                    + " gateway.clients[0].id=manage, gateway.clients[0].token-sha256=<the output of"
                    + " printf %s \"$TOKEN\" | sha256sum>, gateway.clients[0].roles=SEND; or accept JWTs with"
                    + " gateway.security.jwt.issuer-uri; or, for a trial only, set gateway.security.enabled=false");
        }
        http.authorizeHttpRequests((requests) -> requests
            .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
            .permitAll()
            .requestMatchers("/error")
            .permitAll()
            .requestMatchers("/api/v1/admin/**")
            .hasRole(Role.ADMIN.name())
            .requestMatchers("/api/v1/notifications", "/api/v1/notifications/**", "/api/v1/notifications:batch")
            .hasRole(Role.SEND.name())
            .requestMatchers(BearerTokenFilter.RELAY_PATH)
            .hasRole(Role.RELAY.name())
            .anyRequest()
            .authenticated())
            .addFilterBefore(new BearerTokenFilter(clients, jwtClients, handlers, environments),
                    AnonymousAuthenticationFilter.class)
            .addFilterAfter(new RateLimitFilter(rateLimits, problemWriter), AuthorizationFilter.class);
        return http.build();
    }

    private static void configureCors(HttpSecurity http, List<String> allowedOrigins) throws Exception {
        if (allowedOrigins.isEmpty()) {
            http.cors(AbstractHttpConfigurer::disable);
            return;
        }
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(allowedOrigins);
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", "Prefer"));
        cors.setExposedHeaders(List.of("Location", "Retry-After", "Idempotent-Replayed", "Preference-Applied"));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", cors);
        http.cors((configurer) -> configurer.configurationSource(source));
    }

    /**
     * Lets every request in as one client when security is switched off.
     */
    private static final class AnonymousClientFilter extends OncePerRequestFilter {

        private final GatewayClient client;

        AnonymousClientFilter(GatewayClient client) {
            this.client = client;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            SecurityContextHolder.getContext()
                .setAuthentication(new BearerTokenFilter.ClientAuthentication(this.client));
            chain.doFilter(request, response);
        }

    }

}
