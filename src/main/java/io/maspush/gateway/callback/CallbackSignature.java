package io.maspush.gateway.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.maspush.gateway.secret.Secret;

/**
 * Signs callbacks the way the Standard Webhooks specification does, so that receivers can
 * verify them with one of its libraries or a few lines of their own:
 *
 * <pre>
 * webhook-id: &lt;notification id&gt;
 * webhook-timestamp: &lt;seconds since the epoch&gt;
 * webhook-signature: v1,&lt;base64 of HMAC-SHA256(key, id + "." + timestamp + "." + body)&gt;
 * </pre>
 *
 * The timestamp is inside the signed text, so a receiver that refuses timestamps older
 * than a few minutes refuses replays, and the id is the same on every retry, so it can
 * also drop a callback it has already handled.
 */
final class CallbackSignature {

    static final String ID_HEADER = "webhook-id";

    static final String TIMESTAMP_HEADER = "webhook-timestamp";

    static final String SIGNATURE_HEADER = "webhook-signature";

    /** The prefix of secrets in the Standard Webhooks form: base64 of the key's bytes. */
    static final String ENCODED_SECRET_PREFIX = "whsec_";

    private static final int MIN_KEY_BYTES = 16;

    private CallbackSignature() {
    }

    /**
     * The HMAC key of a configured secret: the base64-decoded rest of a {@code whsec_...}
     * secret, otherwise the secret's UTF-8 bytes.
     * @param secret the configured secret
     * @param property the property it came from, for the message if it is unusable
     * @return the key
     */
    static byte[] keyOf(Secret secret, String property) {
        String value = secret.reveal();
        byte[] key;
        if (value.startsWith(ENCODED_SECRET_PREFIX)) {
            try {
                key = Base64.getDecoder().decode(value.substring(ENCODED_SECRET_PREFIX.length()));
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(
                        property + " starts with " + ENCODED_SECRET_PREFIX + " but the rest is not base64");
            }
        }
        else {
            key = value.getBytes(StandardCharsets.UTF_8);
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(property + " must hold at least " + MIN_KEY_BYTES
                    + " bytes of key; generate one with: openssl rand -base64 32");
        }
        return key;
    }

    /**
     * The value of the {@code webhook-signature} header.
     * @param key the HMAC key
     * @param id the callback's id
     * @param timestamp the {@code webhook-timestamp} value
     * @param body the exact bytes sent
     * @return {@code v1,} and the base64 signature
     */
    static String sign(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", ex);
        }
    }

}
