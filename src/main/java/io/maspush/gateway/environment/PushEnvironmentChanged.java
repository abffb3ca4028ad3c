package io.maspush.gateway.environment;

import java.util.List;

import io.maspush.gateway.environment.PushEnvironment.Field;

/**
 * Published after an environment's effective settings changed, from any source.
 *
 * @param environment the environment
 * @param fields what changed
 * @param changedBy who: a client id, {@code file}, {@code config} or, for a change
 * another replica made, {@code replica}
 */
public record PushEnvironmentChanged(String environment, List<Field> fields, String changedBy) {

}
