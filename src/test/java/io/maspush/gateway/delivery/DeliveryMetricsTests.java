package io.maspush.gateway.delivery;

import java.util.UUID;

import io.maspush.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The metrics the issue lists appear at {@code /actuator/prometheus} with bounded tags.
 */
class DeliveryMetricsTests extends GatewayTestSupport {

    @Test
    void exposesDeliveryAndResilienceMetricsWithoutIdsInTags() throws Exception {
        UUID id = send(MINIMAL);
        awaitStatus(id, "DELIVERED");

        String scrape = this.mvc.perform(get("/actuator/prometheus")).andReturn().getResponse().getContentAsString();

        assertThat(scrape)
            .contains("push_notifications_accepted_total{api=\"native\",application=\"mas-push-gateway\","
                    + "category=\"none\",client=\"sender\",environment=\"default\"}")
            .contains("push_delivery_latency_seconds_count{api=\"native\",application=\"mas-push-gateway\","
                    + "environment=\"default\"}")
            .contains("push_queue_oldest_age_seconds{application=\"mas-push-gateway\",environment=\"default\"}")
            .contains("push_upstream_in_flight{application=\"mas-push-gateway\",environment=\"default\"}")
            .contains("push_delivery_paused{application=\"mas-push-gateway\",environment=\"default\","
                    + "reason=\"rate_limited\"}")
            .contains("push_api_key_age_seconds{application=\"mas-push-gateway\",environment=\"default\"}")
            .contains("push_notifications_completed_total{api=\"native\",application=\"mas-push-gateway\","
                    + "environment=\"default\"," + "reason=\"delivered\",status=\"delivered\"}")
            .contains("push_delivery_attempts_total{api=\"native\",application=\"mas-push-gateway\","
                    + "environment=\"default\"," + "outcome=\"success\"}")
            .contains("push_upstream_requests_seconds_bucket{api=\"native\",application=\"mas-push-gateway\","
                    + "environment=\"default\",outcome=\"success\",le=\"0.005\"}")
            .contains("push_upstream_requests_seconds_bucket{api=\"native\",application=\"mas-push-gateway\","
                    + "environment=\"default\",outcome=\"success\",le=\"300.0\"}")
            .contains("push_notifications_queued{application=\"mas-push-gateway\",environment=\"default\"} 0.0")
            .contains("resilience4j_circuitbreaker_state{application=\"mas-push-gateway\",name=\"default\"")
            .contains("resilience4j_bulkhead_available_concurrent_calls{application=\"mas-push-gateway\","
                    + "name=\"default\"}")
            .doesNotContain(id.toString())
            .doesNotContain("WILSON")
            .doesNotContain(API_KEY);
    }

}
