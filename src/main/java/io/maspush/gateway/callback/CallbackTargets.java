package io.maspush.gateway.callback;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.maspush.gateway.secret.Secret;
import io.maspush.gateway.security.ClientProperties;

import org.springframework.stereotype.Component;

/**
 * Where each client's status callbacks go and what they are signed with, from
 * {@code gateway.clients[n].callback-url}, {@code callback-url-prefixes} and
 * {@code callback-secret}. A notification may name its own {@code callbackUrl} only under
 * one of its client's prefixes, so that no caller can make the gateway POST to an
 * arbitrary address inside the cluster.
 */
@Component
public class CallbackTargets {

    private final Map<String, ClientCallbacks> byClient = new HashMap<>();

    CallbackTargets(ClientProperties properties) {
        List<ClientProperties.Client> clients = properties.clients();
        for (int i = 0; i < clients.size(); i++) {
            ClientProperties.Client client = clients.get(i);
            ClientCallbacks callbacks = ClientCallbacks.of("gateway.clients[" + i + "]", client);
            if (callbacks != null) {
                this.byClient.put(client.id(), callbacks);
            }
        }
    }

    /**
     * Why a notification may not name this callback URL.
     * @param clientId the sending client
     * @param requested the notification's {@code callbackUrl}
     * @return the reason, fit for a validation error, or {@code null} when it is allowed
     */
    public String refusalOf(String clientId, String requested) {
        ClientCallbacks callbacks = this.byClient.get(clientId);
        if (callbacks == null || callbacks.prefixes().isEmpty()) {
            return "is not allowed for client '" + clientId + "': an administrator must first list the allowed"
                    + " prefixes in gateway.clients[n].callback-url-prefixes, with a callback-secret";
        }
        URI url;
        try {
            url = new URI(requested);
        }
        catch (URISyntaxException ex) {
            return "is not a valid URL";
        }
        String problem = CallbackUrls.problemOf(url);
        if (problem != null) {
            return problem;
        }
        if (callbacks.prefixes().stream().noneMatch((prefix) -> CallbackUrls.isUnder(url, prefix))) {
            return "must start with one of the prefixes configured for client '" + clientId + "': "
                    + String.join(", ", callbacks.prefixes().stream().map(URI::toString).toList());
        }
        return null;
    }

    /**
     * The callback URL to store with a notification.
     * @param clientId the sending client
     * @param requested the notification's own {@code callbackUrl}, already checked with
     * {@link #refusalOf}, or {@code null}
     * @return the URL, or {@code null} when the notification gets no callback
     */
    public String urlFor(String clientId, String requested) {
        if (requested != null) {
            return requested;
        }
        ClientCallbacks callbacks = this.byClient.get(clientId);
        return (callbacks != null && callbacks.url() != null) ? callbacks.url().toString() : null;
    }

    /**
     * The key a client's callbacks are signed with, as configured now, so that a rotated
     * secret applies to callbacks still waiting.
     * @param clientId the client
     * @return the key, or {@code null} when the client has no callbacks configured any
     * more
     */
    byte[] signingKey(String clientId) {
        ClientCallbacks callbacks = this.byClient.get(clientId);
        return (callbacks != null) ? callbacks.signingKey() : null;
    }

    /**
     * One client's callback settings.
     *
     * @param url where every notification's final status goes, or {@code null}
     * @param prefixes where a notification's own URL may point
     * @param signingKey the HMAC key
     */
    private record ClientCallbacks(URI url, List<URI> prefixes, byte[] signingKey) {

        static ClientCallbacks of(String prefix, ClientProperties.Client client) {
            boolean wanted = client.callbackUrl() != null || !client.callbackUrlPrefixes().isEmpty();
            if (!wanted) {
                return null;
            }
            Secret secret = client.callbackSecret();
            if (secret == null) {
                throw new IllegalArgumentException(prefix + ".callback-secret is required with a callback-url or"
                        + " callback-url-prefixes: every callback is signed so that its receiver can trust it;"
                        + " generate one with: openssl rand -base64 32");
            }
            byte[] key = CallbackSignature.keyOf(secret, prefix + ".callback-secret");
            if (client.callbackUrl() != null) {
                checkConfigured(prefix + ".callback-url", client.callbackUrl());
            }
            List<URI> prefixes = new ArrayList<>();
            for (int i = 0; i < client.callbackUrlPrefixes().size(); i++) {
                String name = prefix + ".callback-url-prefixes[" + i + "]";
                URI url;
                try {
                    url = new URI(client.callbackUrlPrefixes().get(i));
                }
                catch (URISyntaxException ex) {
                    throw new IllegalArgumentException(name + " is not a valid URL: " + ex.getReason());
                }
                checkConfigured(name, url);
                prefixes.add(url);
            }
            return new ClientCallbacks(client.callbackUrl(), List.copyOf(prefixes), key);
        }

        private static void checkConfigured(String name, URI url) {
            String problem = CallbackUrls.problemOf(url);
            if (problem != null) {
                throw new IllegalArgumentException(name + " " + problem + ", but was '" + url + "'");
            }
            if (url.getRawQuery() != null && name.contains("prefixes")) {
                throw new IllegalArgumentException(name + " must not have a query; a prefix is a scheme, host, port"
                        + " and path such as https://hooks.example.com/mas/");
            }
        }

    }

    /**
     * What makes a URL fit to receive callbacks, and when one lies under a prefix.
     */
    static final class CallbackUrls {

        private CallbackUrls() {
        }

        static String problemOf(URI url) {
            String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : "";
            if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                return "must be an absolute http:// or https:// URL with a host";
            }
            if (url.getRawUserInfo() != null) {
                return "must not carry user information";
            }
            if (url.getRawFragment() != null) {
                return "must not have a fragment";
            }
            String path = (url.getRawPath() != null) ? url.getRawPath() : "";
            String lower = path.toLowerCase(Locale.ROOT);
            if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || path.contains("\\")
                    || ("/" + path + "/").contains("/../") || ("/" + path + "/").contains("/./")) {
                return "must not contain dot segments or encoded dots and slashes in its path";
            }
            return null;
        }

        static boolean isUnder(URI url, URI prefix) {
            if (!url.getScheme().equalsIgnoreCase(prefix.getScheme())
                    || !url.getHost().equalsIgnoreCase(prefix.getHost()) || port(url) != port(prefix)) {
                return false;
            }
            String path = emptyAsRoot(url.getRawPath());
            String base = emptyAsRoot(prefix.getRawPath());
            if (base.endsWith("/")) {
                return path.startsWith(base);
            }
            return path.equals(base) || path.startsWith(base + "/");
        }

        private static int port(URI url) {
            if (url.getPort() != -1) {
                return url.getPort();
            }
            return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        }

        private static String emptyAsRoot(String path) {
            return (path == null || path.isEmpty()) ? "/" : path;
        }

    }

}
