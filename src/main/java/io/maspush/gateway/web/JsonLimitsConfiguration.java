package io.maspush.gateway.web;

import com.fasterxml.jackson.core.StreamReadConstraints;

import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Limits enforced by the JSON parser itself, before validation sees anything: a deeply
 * nested or huge document is refused while it is read instead of being built in memory
 * first.
 */
@Configuration(proxyBeanMethods = false)
public class JsonLimitsConfiguration {

    /**
     * Our requests are flat; a little depth leaves room for a caller's formatting of
     * {@code data}.
     */
    static final int MAX_NESTING_DEPTH = 16;

    /** No number in a request needs more digits than this. */
    static final int MAX_NUMBER_LENGTH = 32;

    /** No single string can be longer than the whole body may be. */
    static final int MAX_STRING_LENGTH = RequestBodyLimitFilter.MAX_BODY_BYTES;

    /**
     * The limits, for every parser of request bodies, including those that read a body
     * without the application's object mapper.
     * @return the constraints
     */
    public static StreamReadConstraints constraints() {
        return StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .build();
    }

    @Bean
    Jackson2ObjectMapperBuilderCustomizer jsonReadLimits() {
        StreamReadConstraints constraints = constraints();
        return (builder) -> builder
            .postConfigurer((mapper) -> mapper.getFactory().setStreamReadConstraints(constraints));
    }

}
