package io.maspush.gateway.observability;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maspush.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Every metric the Grafana dashboard and the Prometheus alert rules query is one the
 * gateway exports (or Prometheus's own {@code up}), under the exact name Prometheus
 * stores: a counter with its {@code _total}, a histogram through its {@code _bucket},
 * {@code _count} or {@code _sum} series. A renamed or dropped metric fails here instead
 * of leaving an empty panel or an alert that can never fire.
 */
class DashboardQueriesTests extends GatewayTestSupport {

    static final Path DASHBOARD = Path.of("observability/grafana/mas-push-gateway.json");

    static final Path ALERTS = Path.of("observability/prometheus/alerts.yml");

    static final Path CATALOGUE = Path.of("docs/metrics.md");

    /** Series that Prometheus adds for every target it scrapes. */
    static final Set<String> SCRAPE_SERIES = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling", "scrape_series_added");

    /** PromQL words that look like metric names but are not. */
    static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "inf", "nan", "le", "sum", "min", "max", "avg", "count", "group", "stddev",
            "stdvar", "topk", "bottomk", "quantile", "count_values", "rate", "irate", "increase", "delta", "idelta",
            "histogram_quantile", "clamp_min", "clamp_max", "vector", "scalar", "time", "absent", "absent_over_time",
            "label_replace", "label_join", "max_over_time", "min_over_time", "avg_over_time", "sum_over_time",
            "changes", "resets", "abs", "round");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");

    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");

    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");

    private static final Pattern LABEL_LIST = Pattern
        .compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");

    private static final Pattern NUMBER = Pattern
        .compile("(?<![\\w:.])(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?(ms|s|m|h|d|w|y)?(?![\\w:])");

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$");

    private static final Pattern TYPE_LINE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);

    @Test
    void everyMetricTheDashboardAndAlertsQueryIsExported() throws Exception {
        UUID id = send(MINIMAL);
        awaitStatus(id, "DELIVERED");
        String scrape = this.mvc.perform(get("/actuator/prometheus")).andReturn().getResponse().getContentAsString();
        Set<String> exported = exportedSeriesNames(scrape);
        String catalogue = Files.readString(CATALOGUE);

        Map<String, String> expressions = new LinkedHashMap<>();
        expressions.putAll(dashboardExpressions(DASHBOARD));
        expressions.putAll(alertExpressions(ALERTS));
        assertThat(expressions).hasSizeGreaterThan(20);

        List<String> problems = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        expressions.forEach((where, expression) -> {
            Set<String> names = metricNames(expression);
            if (names.isEmpty()) {
                problems.add(where + ": no metric found in " + expression);
            }
            for (String name : names) {
                used.add(name);
                if (!exported.contains(name)) {
                    problems.add(where + ": " + name + " is not exported");
                }
                else if (!SCRAPE_SERIES.contains(name) && !documented(name, catalogue)) {
                    problems.add(where + ": " + name + " is not in " + CATALOGUE);
                }
            }
        });
        assertThat(problems).isEmpty();
        assertThat(used).contains("push_notifications_accepted_total", "push_notifications_completed_total",
                "push_delivery_latency_seconds_bucket", "push_upstream_requests_seconds_bucket",
                "push_notifications_queued", "push_queue_oldest_age_seconds", "resilience4j_circuitbreaker_state",
                "push_delivery_paused", "push_delivery_attempts_total", "push_api_key_age_seconds",
                "push_upstream_in_flight", "up");
    }

    @Test
    void flagsNamesTheScrapeDoesNotHave() {
        String scrape = """
                # HELP push_delivery_attempts_total Delivery attempts
                # TYPE push_delivery_attempts_total counter
                push_delivery_attempts_total{environment="default",outcome="success"} 1.0
                # HELP push_delivery_latency_seconds From acceptance to delivery
                # TYPE push_delivery_latency_seconds histogram
                push_delivery_latency_seconds_bucket{environment="default",le="+Inf"} 1
                push_delivery_latency_seconds_count{environment="default"} 1
                push_delivery_latency_seconds_sum{environment="default"} 0.2
                # HELP push_delivery_latency_seconds_max From acceptance to delivery
                # TYPE push_delivery_latency_seconds_max gauge
                push_delivery_latency_seconds_max{environment="default"} 0.2
                """;
        Set<String> exported = exportedSeriesNames(scrape);

        assertThat(exported).contains("push_delivery_attempts_total", "push_delivery_latency_seconds_bucket",
                "push_delivery_latency_seconds_count", "push_delivery_latency_seconds_sum",
                "push_delivery_latency_seconds_max", "up");
        assertThat(exported).doesNotContain("push_delivery_latency_seconds", "push_delivery_attempts");
        assertThat(metricNames("sum(rate(push_made_up_total[5m])) / sum(rate(push_delivery_attempts_total[5m]))"))
            .containsExactlyInAnyOrder("push_made_up_total", "push_delivery_attempts_total")
            .filteredOn((name) -> !exported.contains(name))
            .containsExactly("push_made_up_total");
        assertThat(metricNames("histogram_quantile(0.9, rate(push_delivery_latency_seconds[5m]))"))
            .filteredOn((name) -> !exported.contains(name))
            .containsExactly("push_delivery_latency_seconds");
    }

    @Test
    void findsMetricNamesButNotFunctionsLabelsOrValues() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (le, environment) "
                + "(rate(push_delivery_latency_seconds_bucket{environment=~\"$environment\"}[$__rate_interval])))"))
            .containsExactly("push_delivery_latency_seconds_bucket");
        assertThat(metricNames(
                "max without (state) (resilience4j_circuitbreaker_state{state=~\"open|half_open\"})" + " == 1"))
            .containsExactly("resilience4j_circuitbreaker_state");
        assertThat(metricNames("up{job=\"mas-push-gateway\"} == 0 or absent(up{job=\"mas-push-gateway\"})"))
            .containsExactly("up");
        assertThat(metricNames("push_api_key_age_seconds > 365 * 86400 and on (environment) push_notifications_queued"
                + " offset 5m > 1e3"))
            .containsExactlyInAnyOrder("push_api_key_age_seconds", "push_notifications_queued");
        assertThat(metricNames("sum(rate(push_notifications_completed_total{status=~\"failed|expired\"}[10m])) "
                + "/ clamp_min(sum(increase(push_notifications_completed_total[10m])), 1)"))
            .containsExactly("push_notifications_completed_total");
        assertThat(metricNames("vector(1) + time()")).isEmpty();
    }

    /**
     * The series names a scrape makes available to Prometheus, from its {@code # TYPE}
     * lines, plus the series Prometheus adds itself.
     * @param scrape the text exposition format
     * @return the names PromQL can select
     */
    static Set<String> exportedSeriesNames(String scrape) {
        Set<String> names = new TreeSet<>(SCRAPE_SERIES);
        Matcher type = TYPE_LINE.matcher(scrape);
        while (type.find()) {
            String family = type.group(1);
            switch (type.group(2)) {
                case "counter" -> names.add(family.endsWith("_total") ? family : family + "_total");
                case "histogram" -> names.addAll(List.of(family + "_bucket", family + "_count", family + "_sum"));
                case "summary" -> names.addAll(List.of(family, family + "_count", family + "_sum"));
                default -> names.add(family);
            }
        }
        return names;
    }

    /**
     * The metric names a PromQL expression selects: identifiers that are neither
     * functions, aggregations, keywords, label names nor label values.
     * @param expression a PromQL expression, with Grafana variables or not
     * @return the names
     */
    static Set<String> metricNames(String expression) {
        String rest = STRING.matcher(expression).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll("{}");
        rest = RANGE.matcher(rest).replaceAll("[]");
        rest = LABEL_LIST.matcher(rest).replaceAll(" ");
        rest = VARIABLE.matcher(rest).replaceAll(" ");
        rest = NUMBER.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            String name = identifier.group();
            boolean called = rest.substring(identifier.end()).stripLeading().startsWith("(");
            if (!called && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    private static boolean documented(String name, String catalogue) {
        String family = name.replaceFirst("_(bucket|count|sum|max)$", "");
        return catalogue.contains("`" + name + "`") || catalogue.contains("`" + family + "`");
    }

    static Map<String, String> dashboardExpressions(Path file) throws IOException {
        JsonNode dashboard = JSON.readTree(file.toFile());
        Map<String, String> expressions = new LinkedHashMap<>();
        collectPanelExpressions(dashboard.path("panels"), expressions);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asText() : query.asText();
                Matcher labelValues = LABEL_VALUES.matcher(text);
                expressions.put("variable " + variable.path("name").asText(),
                        labelValues.matches() ? labelValues.group(1) : text);
            }
        }
        return expressions;
    }

    private static void collectPanelExpressions(JsonNode panels, Map<String, String> expressions) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                expressions.put("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
            collectPanelExpressions(panel.path("panels"), expressions);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> alertExpressions(Path file) throws IOException {
        Map<String, String> expressions = new LinkedHashMap<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> rules = new Yaml().load(reader);
            for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    Object name = (rule.get("alert") != null) ? rule.get("alert") : rule.get("record");
                    expressions.put("rule " + name, String.valueOf(rule.get("expr")));
                }
            }
        }
        return expressions;
    }

}
