package io.maspush.gateway.pushconfig;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.maspush.gateway.secret.Secret;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Encrypts API keys for storage with AES-256-GCM under the key-encryption key from
 * {@code GATEWAY_ENCRYPTION_KEY} (base64 of 32 bytes). Each ciphertext has its own random
 * nonce and is bound to its environment's name, so a stored key cannot be copied to
 * another environment's row unnoticed.
 */
@Component
class ApiKeyCipher {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private static final int NONCE_BYTES = 12;

    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;

    private final SecureRandom random = new SecureRandom();

    ApiKeyCipher(@Value("${gateway.encryption-key:}") String encodedKey) {
        this.key = decodeKey(encodedKey);
    }

    boolean isAvailable() {
        return this.key != null;
    }

    String encrypt(String environment, Secret apiKey) {
        requireKey();
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            this.random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(environment));
            byte[] sealed = cipher.doFinal(apiKey.reveal().getBytes(StandardCharsets.UTF_8));
            byte[] stored = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, stored, 0, nonce.length);
            System.arraycopy(sealed, 0, stored, nonce.length, sealed.length);
            return Base64.getEncoder().encodeToString(stored);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES-256-GCM is required by every Java platform", ex);
        }
    }

    /**
     * Decrypt a stored key.
     * @param environment the environment it belongs to
     * @param stored the stored form
     * @return the key
     * @throws WrongEncryptionKeyException when the key-encryption key is not the one that
     * encrypted it
     */
    Secret decrypt(String environment, String stored) {
        requireKey();
        try {
            byte[] bytes = Base64.getDecoder().decode(stored);
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(environment));
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return Secret.ofNullable(new String(plain, StandardCharsets.UTF_8));
        }
        catch (AEADBadTagException | IllegalArgumentException ex) {
            throw new WrongEncryptionKeyException(environment);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES-256-GCM is required by every Java platform", ex);
        }
    }

    private void requireKey() {
        if (this.key == null) {
            throw new EncryptionKeyMissingException();
        }
    }

    private static byte[] associatedData(String environment) {
        return ("mas-push-gateway/api-key/" + environment).getBytes(StandardCharsets.UTF_8);
    }

    private static SecretKeySpec decodeKey(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded.strip());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("GATEWAY_ENCRYPTION_KEY must be the base64 of 32 random bytes, for"
                    + " example from: openssl rand -base64 32");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("GATEWAY_ENCRYPTION_KEY must be the base64 of 32 bytes (AES-256), but"
                    + " it decodes to " + bytes.length + " bytes; make one with: openssl rand -base64 32");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /**
     * The key-encryption key is not the one the stored keys were encrypted with.
     */
    static final class WrongEncryptionKeyException extends IllegalStateException {

        WrongEncryptionKeyException(String environment) {
            super("GATEWAY_ENCRYPTION_KEY does not match the key that encrypted the stored API key of environment '"
                    + environment + "'. Start with the original GATEWAY_ENCRYPTION_KEY, or set the environment's API"
                    + " key again through the admin API after removing its stored configuration");
        }

    }

    /**
     * No key-encryption key is configured, so no API key may be stored.
     */
    static final class EncryptionKeyMissingException extends IllegalStateException {

        EncryptionKeyMissingException() {
            super("GATEWAY_ENCRYPTION_KEY is not set, so the gateway cannot store an API key encrypted. Set it to the"
                    + " base64 of 32 random bytes (openssl rand -base64 32) and restart, or supply the key as a file"
                    + " (api-key-file) instead");
        }

    }

}
