package io.maspush.gateway.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart ships the Grafana dashboard and the alert rules from copies under
 * {@code helm/mas-push-gateway/files} (Helm reads only files inside the chart). When the
 * originals under {@code observability/} exist, each copy must equal its original byte
 * for byte. When an original is absent, nothing is skipped: the copy itself must then be
 * a valid dashboard (JSON with a title and panels) or a valid rules file (YAML with named
 * groups of rules that each have an alert or record name and an expression).
 */
class ObservabilityCopiesTests {

    private static final Path DASHBOARD = Path.of("observability", "grafana", "mas-push-gateway.json");

    private static final Path ALERTS = Path.of("observability", "prometheus", "alerts.yml");

    private static final Path DASHBOARD_COPY = HelmChart.CHART.resolve("files/mas-push-gateway.json");

    private static final Path ALERTS_COPY = HelmChart.CHART.resolve("files/alerts.yml");

    @Test
    void dashboardCopyMatchesTheOriginalOrIsAValidDashboard() throws IOException {
        if (Files.exists(DASHBOARD)) {
            assertThat(Files.readAllBytes(DASHBOARD_COPY))
                .as("%s must be a copy of %s: cp %s %s", DASHBOARD_COPY, DASHBOARD, DASHBOARD, DASHBOARD_COPY)
                .isEqualTo(Files.readAllBytes(DASHBOARD));
        }
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD_COPY.toFile());
        assertThat(dashboard.path("title").isTextual()).as("dashboard title").isTrue();
        assertThat(dashboard.path("panels").isArray()).as("dashboard panels").isTrue();
        assertThat(dashboard.path("panels").size()).isPositive();
    }

    @Test
    void alertRulesCopyMatchesTheOriginalOrIsAValidRulesFile() throws IOException {
        if (Files.exists(ALERTS)) {
            assertThat(Files.readAllBytes(ALERTS_COPY))
                .as("%s must be a copy of %s: cp %s %s", ALERTS_COPY, ALERTS, ALERTS, ALERTS_COPY)
                .isEqualTo(Files.readAllBytes(ALERTS));
        }
        Map<String, Object> rules = HelmChart.map(HelmChart.yaml().load(Files.readString(ALERTS_COPY)));
        List<Object> groups = HelmChart.list(rules.get("groups"));
        assertThat(groups).isNotEmpty();
        for (Object group : groups) {
            Map<String, Object> named = HelmChart.map(group);
            assertThat(named.get("name")).isInstanceOf(String.class);
            List<Object> groupRules = HelmChart.list(named.get("rules"));
            assertThat(groupRules).isNotEmpty();
            for (Object rule : groupRules) {
                Map<String, Object> one = HelmChart.map(rule);
                assertThat(one.get("alert") != null || one.get("record") != null).as("alert or record: %s", one)
                    .isTrue();
                assertThat(one.get("expr")).as("expr of %s", one).isNotNull();
            }
        }
    }

}
