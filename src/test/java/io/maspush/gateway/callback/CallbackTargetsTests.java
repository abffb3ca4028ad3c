package io.maspush.gateway.callback;

import java.net.URI;
import java.util.List;
import java.util.Set;

import io.maspush.gateway.secret.Secret;
import io.maspush.gateway.security.ClientProperties;
import io.maspush.gateway.security.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A notification's own callback URL must lie under one of its client's prefixes, so that
 * no caller can make the gateway POST to an arbitrary address; a client's callback
 * settings are checked at startup.
 */
class CallbackTargetsTests {

    private static final String HASH = "a".repeat(64);

    private static final Secret SECRET = Secret.ofNullable("callback-secret-0123456789");

    private final CallbackTargets targets = new CallbackTargets(
            new ClientProperties(List.of(client("manage", URI.create("https://hooks.example.com/mas/status"),
                    List.of("https://hooks.example.com/mas/", "http://receiver.mas.svc:8080/status"), SECRET))));

    @Test
    void acceptsUrlsUnderAPrefix() {
        assertThat(this.targets.refusalOf("manage", "https://hooks.example.com/mas/wo/1042")).isNull();
        assertThat(this.targets.refusalOf("manage", "https://HOOKS.example.com:443/mas/x?record=1042")).isNull();
        assertThat(this.targets.refusalOf("manage", "http://receiver.mas.svc:8080/status")).isNull();
        assertThat(this.targets.refusalOf("manage", "http://receiver.mas.svc:8080/status/1042")).isNull();
    }

    @Test
    void refusesUrlsThatOnlyLookAlike() {
        assertThat(this.targets.refusalOf("manage", "https://hooks.example.com.evil.test/mas/x")).contains("prefixes");
        assertThat(this.targets.refusalOf("manage", "https://hooks.example.com/massive")).contains("prefixes");
        assertThat(this.targets.refusalOf("manage", "http://hooks.example.com/mas/x")).contains("prefixes");
        assertThat(this.targets.refusalOf("manage", "https://hooks.example.com:8443/mas/x")).contains("prefixes");
        assertThat(this.targets.refusalOf("manage", "http://receiver.mas.svc:8080/statusx")).contains("prefixes");
        assertThat(this.targets.refusalOf("manage", "https://evil.test@hooks.example.com/mas/x"))
            .contains("user information");
        assertThat(this.targets.refusalOf("manage", "https://hooks.example.com/mas/../admin")).contains("dot segments");
        assertThat(this.targets.refusalOf("manage", "https://hooks.example.com/mas/%2e%2e/admin"))
            .contains("dot segments");
        assertThat(this.targets.refusalOf("manage", "ftp://hooks.example.com/mas/x")).contains("http://");
        assertThat(this.targets.refusalOf("manage", "/mas/x")).contains("absolute");
        assertThat(this.targets.refusalOf("manage", "https://hooks.example.com/mas/ x")).contains("not a valid URL");
    }

    @Test
    void aClientWithoutPrefixesMayNameNoUrlOfItsOwn() {
        assertThat(this.targets.refusalOf("someone-else", "https://hooks.example.com/mas/x"))
            .contains("callback-url-prefixes");
    }

    @Test
    void theClientsUrlIsUsedUnlessTheNotificationNamesOne() {
        assertThat(this.targets.urlFor("manage", null)).isEqualTo("https://hooks.example.com/mas/status");
        assertThat(this.targets.urlFor("manage", "https://hooks.example.com/mas/own"))
            .isEqualTo("https://hooks.example.com/mas/own");
        assertThat(this.targets.urlFor("someone-else", null)).isNull();
    }

    @Test
    void aCallbackWithoutASecretStopsTheStartNamingTheProperty() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new CallbackTargets(new ClientProperties(
                    List.of(client("manage", URI.create("https://hooks.example.com/x"), List.of(), null)))))
            .withMessageContaining("gateway.clients[0].callback-secret is required");
    }

    @Test
    void unusableUrlsStopTheStartNamingTheProperty() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new CallbackTargets(new ClientProperties(
                    List.of(client("manage", URI.create("ftp://hooks.example.com/x"), List.of(), SECRET)))))
            .withMessageContaining("gateway.clients[0].callback-url must be an absolute http://");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new CallbackTargets(new ClientProperties(
                    List.of(client("manage", null, List.of("https://hooks.example.com/x?a=1"), SECRET)))))
            .withMessageContaining("gateway.clients[0].callback-url-prefixes[0] must not have a query");
    }

    private static ClientProperties.Client client(String id, URI url, List<String> prefixes, Secret secret) {
        return new ClientProperties.Client(id, HASH, Set.of(Role.SEND), "default", null, url, prefixes, secret, null);
    }

}
