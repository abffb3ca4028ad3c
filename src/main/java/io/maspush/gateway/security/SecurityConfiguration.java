package io.maspush.gateway.security;

import io.maspush.gateway.web.ProblemWriter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Who may call what. The API is stateless: every request carries a client's bearer token
 * (a configured client's token or a JWT), there are no sessions, no cookies and therefore
 * no CSRF exposure.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityFilterChain apiSecurity(HttpSecurity http, ClientRegistry clients, JwtClients jwtClients,
            ProblemWriter problemWriter) throws Exception {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers(problemWriter);
        http.csrf(AbstractHttpConfigurer::disable)
            .httpBasic(AbstractHttpConfigurer::disable)
            .formLogin(AbstractHttpConfigurer::disable)
            .logout(AbstractHttpConfigurer::disable)
            .requestCache(AbstractHttpConfigurer::disable)
            .sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .authorizeHttpRequests((requests) -> requests
                .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
                .permitAll()
                .requestMatchers("/error")
                .permitAll()
                .requestMatchers("/api/v1/admin/**")
                .hasRole(Role.ADMIN.name())
                .requestMatchers("/api/v1/notifications", "/api/v1/notifications/**")
                .hasRole(Role.SEND.name())
                .anyRequest()
                .authenticated())
            .addFilterBefore(new BearerTokenFilter(clients, jwtClients, handlers), AnonymousAuthenticationFilter.class)
            .exceptionHandling(
                    (exceptions) -> exceptions.authenticationEntryPoint(handlers).accessDeniedHandler(handlers));
        return http.build();
    }

}
