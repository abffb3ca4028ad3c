package io.maspush.gateway.callback;

import java.nio.charset.StandardCharsets;

import io.maspush.gateway.secret.Secret;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Callbacks are signed exactly as the Standard Webhooks specification says, so that its
 * libraries verify them.
 */
class CallbackSignatureTests {

    @Test
    void matchesTheExampleOfTheStandardWebhooksSpecification() {
        byte[] key = CallbackSignature.keyOf(Secret.ofNullable("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "secret");

        String signature = CallbackSignature.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void aPlainSecretIsUsedAsItsUtf8Bytes() {
        assertThat(CallbackSignature.keyOf(Secret.ofNullable("plain-secret-of-enough-length"), "secret"))
            .isEqualTo("plain-secret-of-enough-length".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesShortOrUndecodableSecretsNamingTheProperty() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> CallbackSignature.keyOf(Secret.ofNullable("short"), "gateway.clients[0].callback-secret"))
            .withMessageContaining("gateway.clients[0].callback-secret")
            .withMessageContaining("at least 16 bytes");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> CallbackSignature.keyOf(Secret.ofNullable("whsec_not base64!"), "the-secret"))
            .withMessageContaining("the-secret")
            .withMessageContaining("not base64");
    }

}
