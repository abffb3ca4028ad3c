package io.maspush.gateway.environment;

import io.maspush.gateway.secret.Secret;

/**
 * An outbound HTTP proxy that an environment's calls to the push service go through, as
 * corporate egress usually requires.
 *
 * @param host the proxy's host
 * @param port the proxy's port
 * @param username the user for proxy authentication, or {@code null}
 * @param password the password for proxy authentication, or {@code null}
 */
public record ProxySettings(String host, int port, String username, Secret password) {

    /**
     * Read a proxy address of the form {@code host:port}.
     * @param property the property name, for the error message
     * @param address the address, may be {@code null} or blank for no proxy
     * @param username the user, or {@code null}
     * @param password the password, or {@code null}
     * @return the proxy, or {@code null} when no address is given
     */
    public static ProxySettings parse(String property, String address, String username, Secret password) {
        if (address == null || address.isBlank()) {
            return null;
        }
        int colon = address.lastIndexOf(':');
        String host = (colon > 0) ? address.substring(0, colon).strip() : "";
        String port = (colon > 0) ? address.substring(colon + 1).strip() : "";
        if (host.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1
                || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException(property + " must be host:port, such as proxy.example.com:3128");
        }
        return new ProxySettings(host, Integer.parseInt(port),
                (username != null && !username.isBlank()) ? username : null, password);
    }

    public boolean hasCredentials() {
        return this.username != null && this.password != null;
    }

    @Override
    public String toString() {
        return this.host + ":" + this.port;
    }

}
