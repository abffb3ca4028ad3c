package io.maspush.gateway.pushconfig;

/**
 * A step of the connectivity check failed; the message says why, in an administrator's
 * terms.
 */
class StepFailure extends Exception {

    StepFailure(String message) {
        super(message, null, false, false);
    }

}
