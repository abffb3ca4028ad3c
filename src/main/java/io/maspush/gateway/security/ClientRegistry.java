package io.maspush.gateway.security;

import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.secret.Secret;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Finds the client a bearer token belongs to. Tokens are looked up by their SHA-256,
 * which the caller cannot steer towards a partial match, and the final comparison is made
 * in constant time.
 */
@Component
public class ClientRegistry {

    private final Map<String, Entry> byTokenHash = new LinkedHashMap<>();

    private final Set<String> ids = new HashSet<>();

    /** The environment of an administrator who manages every environment. */
    public static final String ALL_ENVIRONMENTS = "*";

    ClientRegistry(ClientProperties properties, ObjectProvider<ClientDefinition> additionalClients,
            PushEnvironments environments) {
        properties.clients()
            .forEach((client) -> add(new ClientDefinition(
                    new GatewayClient(client.id(), client.roles(), client.environment()), client.tokenSha256())));
        additionalClients.orderedStream().forEach(this::add);
        for (int i = 0; i < properties.clients().size(); i++) {
            checkEnvironment("gateway.clients[" + i + "]", properties.clients().get(i), environments);
        }
    }

    private static void checkEnvironment(String prefix, ClientProperties.Client client, PushEnvironments environments) {
        if (ALL_ENVIRONMENTS.equals(client.environment())) {
            if (client.roles().contains(Role.SEND) || client.roles().contains(Role.RELAY)) {
                throw new IllegalArgumentException(prefix + ".environment is '*', but a client with role SEND or RELAY"
                        + " must be bound to one environment, so that it can never send through another environment's"
                        + " key");
            }
            return;
        }
        if (environments.find(client.environment()).isEmpty()) {
            throw new IllegalArgumentException(prefix + ".environment is '" + client.environment()
                    + "', which is not a configured push environment (" + String.join(", ", environments.names())
                    + ")");
        }
    }

    private void add(ClientDefinition definition) {
        String hash = definition.tokenSha256().toLowerCase(Locale.ROOT);
        this.byTokenHash.put(hash, new Entry(definition.client(), HexFormat.of().parseHex(hash)));
        this.ids.add(definition.client().id());
    }

    public Optional<GatewayClient> authenticate(String token) {
        String hash = Secret.sha256Hex(token);
        Entry entry = this.byTokenHash.get(hash);
        if (entry == null || !MessageDigest.isEqual(entry.hash(), HexFormat.of().parseHex(hash))) {
            return Optional.empty();
        }
        return Optional.of(entry.client());
    }

    /**
     * Whether a client with this id is configured (or contributed by code).
     * @param id the client id
     * @return whether it is taken
     */
    public boolean hasClient(String id) {
        return this.ids.contains(id);
    }

    public boolean isEmpty() {
        return this.byTokenHash.isEmpty();
    }

    private record Entry(GatewayClient client, byte[] hash) {
    }

    /**
     * A client contributed by code rather than configuration, such as the sandbox's demo
     * client.
     *
     * @param client the client
     * @param tokenSha256 the hex SHA-256 of its token
     */
    public record ClientDefinition(GatewayClient client, String tokenSha256) {
    }

}
