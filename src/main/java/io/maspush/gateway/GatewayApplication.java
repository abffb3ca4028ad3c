package io.maspush.gateway;

import java.time.Clock;

import io.maspush.gateway.push.PushHttpClients;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * Push notification gateway for IBM Maximo Application Suite: accepts notifications from
 * Manage integrations, stores them durably and delivers them to IBM's hosted push
 * service.
 */
// Boot's resource server is left out: JWT callers are configured under
// gateway.security.jwt
// and checked by the API chain's own bearer filter, so a decoder Boot built from
// spring.security.oauth2.resourceserver.* would never see a request.
@SpringBootApplication(
        exclude = { UserDetailsServiceAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class })
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        // Before anything creates an HTTP client: the JDK reads this setting only once.
        PushHttpClients.allowBasicProxyAuthenticationForTunnels();
        if (PushHttpClients.suppressHeaderWireLogging()) {
            System.err.println("jdk.httpclient.HttpClient.log would write the API key to the log; it is ignored");
        }
        SpringApplication.run(GatewayApplication.class, args);
    }

    /**
     * All timestamps come from this clock, never from the database, so that every replica
     * and every test agrees on what "now" means for expiry and retry scheduling.
     */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

}
