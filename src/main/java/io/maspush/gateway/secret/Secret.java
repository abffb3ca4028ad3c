package io.maspush.gateway.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A value that must never reach a log line, a response or an exception message: API keys
 * and client tokens. Its {@link #toString()} masks it, so an accidental string
 * concatenation prints nothing useful. Only {@link #reveal()} gives the value, and only
 * the code that puts it on the wire calls it.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * Wrap a value; blank values are treated as absent.
     * @param value the secret value, may be {@code null}
     * @return the secret, or {@code null} when the value is null or blank
     */
    public static Secret ofNullable(String value) {
        return (value == null || value.isBlank()) ? null : new Secret(value.strip());
    }

    public String reveal() {
        return this.value;
    }

    /**
     * The first 12 hex characters of the SHA-256 of the value: enough to tell two keys
     * apart in an audit trail or a warning, useless for recovering the key.
     * @return the fingerprint
     */
    public String fingerprint() {
        return sha256Hex(this.value).substring(0, 12);
    }

    public static String sha256Hex(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
        }
    }

    @Override
    public boolean equals(Object other) {
        return (other instanceof Secret secret) && MessageDigest.isEqual(this.value.getBytes(StandardCharsets.UTF_8),
                secret.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return this.value.hashCode();
    }

    @Override
    public String toString() {
        return "******";
    }

}
