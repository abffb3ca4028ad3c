package io.maspush.gateway.notification;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A duration between two ISO-8601 bounds, inclusive. {@code null} is valid.
 */
@Documented
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = DurationRange.Validator.class)
public @interface DurationRange {

    String min();

    String max();

    String message() default "must be an ISO-8601 duration from {min} to {max}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /**
     * Checks the bounds.
     */
    class Validator implements ConstraintValidator<DurationRange, Duration> {

        private Duration min;

        private Duration max;

        @Override
        public void initialize(DurationRange range) {
            this.min = Duration.parse(range.min());
            this.max = Duration.parse(range.max());
        }

        @Override
        public boolean isValid(Duration value, ConstraintValidatorContext context) {
            return value == null || (value.compareTo(this.min) >= 0 && value.compareTo(this.max) <= 0);
        }

    }

}
