package io.maspush.gateway.sandbox;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;

import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.secret.Secret;
import io.maspush.gateway.security.ClientRegistry.ClientDefinition;
import io.maspush.gateway.security.GatewayClient;
import io.maspush.gateway.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The {@code sandbox} profile: a demo client whose token is printed at startup, and an
 * in-process stand-in for the push service, so the gateway can be tried on a machine with
 * nothing installed and no IBM account.
 */
@Configuration(proxyBeanMethods = false)
@Profile("sandbox")
class SandboxConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(SandboxConfiguration.class);

    private final String demoToken = newToken();

    @Bean
    ClientDefinition sandboxDemoClient() {
        return new ClientDefinition(
                new GatewayClient("demo", EnumSet.of(Role.SEND, Role.ADMIN, Role.RELAY), PushEnvironment.DEFAULT),
                Secret.sha256Hex(this.demoToken));
    }

    /**
     * The stand-in's endpoints are open: they exist only in the sandbox and hold nothing
     * but demo messages.
     */
    @Bean
    @Order(0)
    SecurityFilterChain sandboxSecurity(HttpSecurity http) throws Exception {
        return http.securityMatcher("/sandbox/**")
            .csrf(AbstractHttpConfigurer::disable)
            .authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
            .build();
    }

    @EventListener
    void printDemoToken(ApplicationReadyEvent event) {
        Environment environment = event.getApplicationContext().getEnvironment();
        String port = environment.getProperty("local.server.port", "8080");
        logger.info("Sandbox ready. Demo client 'demo' (roles SEND, ADMIN, RELAY) token: {}", this.demoToken);
        String example = "{\"recipients\":[\"WILSON\"],\"title\":\"Work order 1042 assigned\","
                + "\"body\":\"Pump P-100 leaks\"}";
        logger.info("Try: curl -s -H 'Authorization: Bearer {}' -H 'Content-Type: application/json' -d '{}'"
                + " http://localhost:{}/api/v1/notifications", this.demoToken, example, port);
        logger.info("Messages the stand-in push service received: http://localhost:{}/sandbox/messages", port);
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "sandbox-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

}
