package io.maspush.gateway.security;

import java.net.URI;
import java.util.List;
import java.util.Set;

import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.relay.RelayMode;
import io.maspush.gateway.secret.Secret;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The clients allowed to call the gateway, under {@code gateway.clients[n]}. Only the
 * SHA-256 of each token is configured, so the configuration (and whoever reads it) never
 * holds a usable token.
 *
 * @param clients the clients
 */
@ConfigurationProperties("gateway")
public record ClientProperties(@DefaultValue List<Client> clients) {

    public ClientProperties {
        for (int i = 0; i < clients.size(); i++) {
            clients.get(i).check("gateway.clients[" + i + "]");
        }
    }

    /**
     * One client.
     *
     * @param id the client's id
     * @param tokenSha256 the lowercase hex SHA-256 of its bearer token
     * ({@code printf %s "$TOKEN" | sha256sum})
     * @param roles what it may do: {@code SEND}, {@code ADMIN}
     * @param environment the push environment it is bound to
     * @param rateLimit its own rate limit instead of {@code gateway.security.rate-limit}
     * @param callbackUrl where the final status of each of its notifications is POSTed,
     * or {@code null}
     * @param callbackUrlPrefixes the prefixes a notification's own {@code callbackUrl}
     * must start with; none allows no per-notification URL
     * @param callbackSecret the key of the HMAC-SHA256 signature on its callbacks
     * @param relayMode how its relayed messages are sent, instead of
     * {@code gateway.relay.mode}
     */
    public record Client(String id, String tokenSha256, @DefaultValue("SEND") Set<Role> roles,
            @DefaultValue(PushEnvironment.DEFAULT) String environment, SecurityProperties.RateLimit rateLimit,
            URI callbackUrl, @DefaultValue List<String> callbackUrlPrefixes, Secret callbackSecret,
            RelayMode relayMode) {

        void check(String prefix) {
            if (this.id == null || !this.id.matches("[A-Za-z0-9_.-]{1,100}")) {
                throw new IllegalArgumentException(prefix + ".id must be 1 to 100 letters, digits, '.', '_' or '-'");
            }
            if (this.tokenSha256 == null || !this.tokenSha256.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(prefix + ".token-sha256 must be the 64 hex digits of the SHA-256 "
                        + "of the client's token, for example from: printf %s \"$TOKEN\" | sha256sum");
            }
        }

    }

}
