package io.maspush.gateway.security;

import java.util.Set;

/**
 * An authenticated caller: a Manage integration, a script or another in-cluster service.
 *
 * @param id the client's id, recorded with everything it sends
 * @param roles what it may do
 * @param environment the only push environment it may send through
 */
public record GatewayClient(String id, Set<Role> roles, String environment) {

}
