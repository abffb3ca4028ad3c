package io.maspush.gateway.push;

import java.time.Duration;

import io.maspush.gateway.push.PushOutcome.Type;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PushOutcomeTests {

    @ParameterizedTest
    @CsvSource({ "200, DELIVERED", "202, DELIVERED", "204, DELIVERED", "407, RETRYABLE", "408, RETRYABLE",
            "425, RETRYABLE", "429, RETRYABLE", "500, RETRYABLE", "502, RETRYABLE", "503, RETRYABLE", "504, RETRYABLE",
            "400, PERMANENT", "404, PERMANENT", "413, PERMANENT", "422, PERMANENT", "401, KEY_REJECTED",
            "403, KEY_REJECTED", "301, PERMANENT", "501, PERMANENT" })
    void classifiesEveryStatusOfTheIssueTable(int status, Type expected) {
        assertThat(PushOutcome.ofStatus(status, "detail", null).type()).isEqualTo(expected);
    }

    @Test
    void onlyA429OrA503WithRetryAfterHoldsTheEnvironment() {
        assertThat(PushOutcome.ofStatus(429, "d", Duration.ofSeconds(5)).holdsEnvironment()).isTrue();
        assertThat(PushOutcome.ofStatus(503, "d", Duration.ofSeconds(5)).holdsEnvironment()).isTrue();
        assertThat(PushOutcome.ofStatus(503, "d", null).holdsEnvironment()).isFalse();
        assertThat(PushOutcome.ofStatus(500, "d", Duration.ofSeconds(5)).holdsEnvironment()).isFalse();
    }

    @Test
    void onlyNetworkFailuresCountAsUpstreamFailuresByType() {
        assertThat(Type.TIMEOUT.isUpstreamFailure()).isTrue();
        assertThat(Type.IO_ERROR.isUpstreamFailure()).isTrue();
        assertThat(Type.KEY_REJECTED.isUpstreamFailure()).isFalse();
        assertThat(Type.PERMANENT.isUpstreamFailure()).isFalse();
    }

}
