package io.maspush.gateway.pushconfig;

import java.time.Instant;

/**
 * When the key an environment now uses was set, and by whom.
 *
 * @param fingerprint the key's fingerprint
 * @param updatedAt when it was set (or first seen)
 * @param updatedBy a client id, {@code file} or {@code config}
 */
record KeyRecord(String fingerprint, Instant updatedAt, String updatedBy) {

}
