package io.maspush.gateway.environment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.maspush.gateway.secret.Secret;

/**
 * Reads secrets from files, the way Kubernetes mounts a Secret: the whole file, without
 * surrounding whitespace.
 */
public final class SecretFiles {

    private static final long MAX_BYTES = 16 * 1024;

    private SecretFiles() {
    }

    /**
     * Read a secret file.
     * @param file the file
     * @param property the property that names it, for the error message
     * @return the secret, or {@code null} when the file is empty
     * @throws IllegalArgumentException when the file cannot be read; the message never
     * contains its content
     */
    public static Secret read(Path file, String property) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(property + " names " + file + ", which is larger than a key can be");
            }
            return Secret.ofNullable(Files.readString(file, StandardCharsets.UTF_8));
        }
        catch (IOException ex) {
            throw new IllegalArgumentException(
                    property + " names " + file + ", which cannot be read (" + ex.getClass().getSimpleName() + ")");
        }
    }

}
