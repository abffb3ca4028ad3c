package io.maspush.gateway.security;

/**
 * What a client may do.
 */
public enum Role {

    /** Send notifications and read their status. */
    SEND,

    /** Read and change the gateway's push configuration. */
    ADMIN,

    /**
     * Relay MAS Manage's own push messages through
     * {@code POST /pushnotification/sendMessage}.
     */
    RELAY

}
