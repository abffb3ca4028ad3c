package io.maspush.gateway.secret;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * Lets configuration properties be declared as {@link Secret} so that the bound value is
 * masked from the start.
 */
@Component
@ConfigurationPropertiesBinding
class SecretConverter implements Converter<String, Secret> {

    @Override
    public Secret convert(String source) {
        return Secret.ofNullable(source);
    }

}
