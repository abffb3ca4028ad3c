package io.maspush.gateway.environment;

/**
 * Where an environment's API key comes from. The first that has a key wins: a key set
 * through the admin API, then a key file, then the configuration.
 */
public enum KeySource {

    /** Set through the admin API and stored encrypted in the database. */
    ADMIN,

    /** Read from {@code api-key-file}, such as a mounted Kubernetes Secret. */
    FILE,

    /** {@code api-key} in the configuration or the environment. */
    CONFIG,

    /** No key anywhere. */
    NONE

}
