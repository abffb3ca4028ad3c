package io.maspush.gateway.environment;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Named push environments, one per MAS environment, under
 * {@code gateway.environments.<name>.push.*} with the same keys as
 * {@code gateway.push.*}. When none is configured the gateway has exactly one,
 * {@code default}, from {@code gateway.push}.
 *
 * @param environments the environments by name
 */
@ConfigurationProperties("gateway")
public record EnvironmentsProperties(@DefaultValue Map<String, Environment> environments) {

    /**
     * One environment.
     *
     * @param push its push settings
     */
    public record Environment(@DefaultValue PushProperties push) {
    }

}
