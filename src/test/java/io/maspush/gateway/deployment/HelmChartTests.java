package io.maspush.gateway.deployment;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.maspush.gateway.deployment.HelmChart.Rendered;
import io.maspush.gateway.deployment.HelmChart.Result;
import org.junit.jupiter.api.Test;

import static io.maspush.gateway.deployment.HelmChart.at;
import static io.maspush.gateway.deployment.HelmChart.list;
import static io.maspush.gateway.deployment.HelmChart.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders the Helm chart with its value sets and checks the rendered objects. Needs Helm:
 * {@code HELM_BIN} or {@code scripts/install-helm.sh}'s default location.
 */
class HelmChartTests {

    private static final String PRODUCTION = "helm/mas-push-gateway/ci/production-values.yaml";

    private static final String SANDBOX = "helm/mas-push-gateway/ci/sandbox-values.yaml";

    private static final String TRIAL_KEY = "trial-api-key-value-0123456789";

    private static final String KEY_DIR = "/etc/mas-push-gateway/push";

    private static final String TRIAL_CALLBACK_SECRET = "trial-callback-secret-0123456789";

    private static final String[] ONE_CLIENT = { "--set", "clients[0].id=c", "--set",
            "clients[0].tokenSha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" };

    @Test
    void podsMeetTheRestrictedPodSecurityStandard() {
        for (Rendered rendered : List.of(HelmChart.render(), HelmChart.render("-f", PRODUCTION),
                HelmChart.render("-f", SANDBOX))) {
            Map<String, Object> pod = rendered.podSpec();
            assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
            assertThat(at(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
            assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
            assertThat(pod.get("hostNetwork")).isNull();
            Map<String, Object> container = rendered.container();
            Map<String, Object> security = map(container.get("securityContext"));
            assertThat(security).containsEntry("runAsNonRoot", true)
                .containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("privileged", false);
            assertThat(at(security, "capabilities", "drop")).isEqualTo(List.of("ALL"));
            assertThat(at(security, "capabilities", "add")).isNull();
            assertThat(at(security, "seccompProfile", "type")).isEqualTo("RuntimeDefault");
            Object runAsUser = at(pod, "securityContext", "runAsUser");
            if (runAsUser != null) {
                assertThat((Integer) runAsUser).isPositive();
            }
            assertThat(mountPath(container, "tmp")).isEqualTo("/tmp");
            assertThat(volume(pod, "tmp")).containsKey("emptyDir");
            assertThat(at(container, "resources", "requests", "cpu")).isNotNull();
            assertThat(at(container, "resources", "requests", "memory")).isNotNull();
            assertThat(at(container, "resources", "limits", "memory")).isNotNull();
        }
    }

    @Test
    void openShiftLeavesTheUserToTheSecurityContextConstraints() {
        Map<String, Object> vanilla = map(HelmChart.render().podSpec().get("securityContext"));
        assertThat(vanilla).containsEntry("runAsUser", 10001).containsEntry("fsGroup", 10001);
        Map<String, Object> openShift = map(HelmChart.render("-f", PRODUCTION).podSpec().get("securityContext"));
        assertThat(openShift).doesNotContainKeys("runAsUser", "runAsGroup", "fsGroup")
            .containsEntry("runAsNonRoot", true);
    }

    @Test
    void probesUseTheHealthGroupsOnTheManagementPort() {
        Rendered rendered = HelmChart.render();
        Map<String, Object> container = rendered.container();
        assertThat(port(container, "management")).isEqualTo(8081);
        assertThat(port(container, "api")).isEqualTo(8080);
        Map<String, String> paths = Map.of("startupProbe", "/actuator/health/liveness", "livenessProbe",
                "/actuator/health/liveness", "readinessProbe", "/actuator/health/readiness");
        paths.forEach((probe, path) -> {
            assertThat(at(container, probe, "httpGet", "path")).as(probe).isEqualTo(path);
            assertThat(at(container, probe, "httpGet", "port")).as(probe).isEqualTo("management");
        });
        assertThat(at(rendered.applicationConfig(), "management", "server", "port")).isEqualTo(8081);
        assertThat(at(rendered.applicationConfig(), "server", "port")).isEqualTo(8080);
        List<Object> servicePorts = list(at(rendered.one("Service"), "spec", "ports"));
        assertThat(servicePorts).extracting((port) -> map(port).get("port")).containsExactly(8080, 8081);
        assertThat(servicePorts).extracting((port) -> map(port).get("targetPort")).containsExactly("api", "management");
    }

    @Test
    void theApiKeyIsAMountedSecretFile() {
        Rendered rendered = HelmChart.render();
        assertThat(at(rendered.applicationConfig(), "gateway", "push", "api-key-file")).isEqualTo(KEY_DIR + "/api-key");
        Map<String, Object> pod = rendered.podSpec();
        Map<String, Object> keys = volume(pod, "push-api-keys");
        assertThat(at(keys, "secret", "secretName")).isEqualTo(at(rendered.one("Secret"), "metadata", "name"));
        assertThat(list(at(keys, "secret", "items"))).containsExactly(Map.of("key", "api-key", "path", "api-key"));
        Map<String, Object> mount = mount(rendered.container(), "push-api-keys");
        assertThat(mount).containsEntry("mountPath", KEY_DIR).containsEntry("readOnly", true);
        assertThat(mount).as("a subPath mount would never see a rotated key").doesNotContainKey("subPath");
        assertThat(envNames(rendered.container())).doesNotContain("GATEWAY_PUSH_API_KEY");
    }

    @Test
    void eachNamedEnvironmentReadsItsOwnKeyFileFromTheExistingSecret() {
        Rendered rendered = HelmChart.render("-f", PRODUCTION);
        Map<String, Object> config = rendered.applicationConfig();
        assertThat(at(config, "gateway", "environments", "prod", "push", "api-key-file"))
            .isEqualTo(KEY_DIR + "/api-key-prod");
        assertThat(at(config, "gateway", "environments", "test", "push", "api-key-file"))
            .isEqualTo(KEY_DIR + "/api-key-test");
        Map<String, Object> keys = volume(rendered.podSpec(), "push-api-keys");
        assertThat(at(keys, "secret", "secretName")).isEqualTo("mas-push-gateway-secrets");
        assertThat(list(at(keys, "secret", "items"))).extracting((item) -> map(item).get("key"))
            .containsExactly("api-key-prod", "api-key-test");
        assertThat(rendered.all("Secret")).as("the chart makes no Secret when one exists").isEmpty();
    }

    @Test
    void noKeyValueIsRenderedUnlessATrialPassesOne() {
        Rendered defaults = HelmChart.render();
        Map<String, Object> secretData = map(defaults.one("Secret").get("data"));
        assertThat(secretData).containsEntry("api-key", "");
        assertThat(secretData.values()).allMatch(""::equals);
        for (Rendered rendered : List.of(defaults, HelmChart.render("-f", PRODUCTION))) {
            for (Object variable : list(rendered.container().get("env"))) {
                String name = (String) map(variable).get("name");
                if (name.matches(".*(KEY|TOKEN|PASSWORD|SECRET|SHA256).*")) {
                    assertThat(map(variable)).as(name).doesNotContainKey("value").containsKey("valueFrom");
                }
            }
        }
        String encoded = Base64.getEncoder().encodeToString(TRIAL_KEY.getBytes(StandardCharsets.UTF_8));
        Rendered trial = HelmChart.render("-f", SANDBOX);
        assertThat(at(trial.one("Secret"), "data", "api-key")).isEqualTo(encoded);
        List<Map<String, Object>> others = new ArrayList<>(trial.objects());
        others.remove(trial.one("Secret"));
        assertThat(HelmChart.yaml().dumpAll(others.iterator())).doesNotContain(TRIAL_KEY).doesNotContain(encoded);
        assertThat(defaults.text()).doesNotContain(TRIAL_KEY).doesNotContain(encoded);
    }

    @Test
    void clientHashesEncryptionKeyAndDatabasePasswordComeFromTheSecret() {
        Map<String, Object> container = HelmChart.render("-f", PRODUCTION).container();
        assertThat(secretRef(container, "GATEWAY_CLIENTS_0_TOKENSHA256"))
            .containsEntry("name", "mas-push-gateway-secrets")
            .containsEntry("key", "client-manage-prod-token-sha256");
        assertThat(value(container, "GATEWAY_CLIENTS_0_ID")).isEqualTo("manage-prod");
        assertThat(value(container, "GATEWAY_CLIENTS_2_ROLES")).isEqualTo("ADMIN");
        assertThat(value(container, "GATEWAY_CLIENTS_2_ENVIRONMENT")).isEqualTo("*");
        assertThat(secretRef(container, "GATEWAY_ENCRYPTION_KEY")).containsEntry("key", "encryption-key");
        assertThat(secretRef(container, "SPRING_DATASOURCE_PASSWORD")).containsEntry("key", "database-password");
        assertThat(value(container, "SPRING_DATASOURCE_URL"))
            .isEqualTo("jdbc:postgresql://postgres.mas-push.svc:5432/gateway");
    }

    @Test
    void networkPolicyAllowsMasInAndDnsPushAndPostgresqlOut() {
        Map<String, Object> policy = HelmChart.render("-f", PRODUCTION).one("NetworkPolicy");
        assertThat(list(at(policy, "spec", "policyTypes"))).containsExactly("Ingress", "Egress");
        List<Object> egress = list(at(policy, "spec", "egress"));
        assertThat(egressPorts(egress)).contains("53/UDP", "53/TCP", "443/TCP", "5432/TCP");
        assertThat(HelmChart.yaml().dump(at(policy, "spec", "ingress"))).contains("mas-inst1-manage")
            .contains("openshift-user-workload-monitoring");
        List<Object> defaults = list(at(HelmChart.render().one("NetworkPolicy"), "spec", "egress"));
        assertThat(egressPorts(defaults)).contains("53/UDP", "443/TCP")
            .as("no database port with the embedded database")
            .doesNotContain("5432/TCP");
    }

    @Test
    void extraEgressRulesAreRenderedAsGiven() throws Exception {
        Map<String, Object> values = map(HelmChart.yaml().load(Files.readString(Path.of(PRODUCTION))));
        List<Object> extra = list(at(values, "networkPolicy", "egress", "extra"));
        assertThat(extra).as("the production values name a callback receiver in the cluster")
            .anySatisfy((rule) -> assertThat(HelmChart.yaml().dump(rule)).contains("integration"));
        List<Object> egress = list(at(HelmChart.render("-f", PRODUCTION).one("NetworkPolicy"), "spec", "egress"));
        assertThat(egress.subList(egress.size() - extra.size(), egress.size())).isEqualTo(extra);
        List<Object> defaults = list(at(HelmChart.render().one("NetworkPolicy"), "spec", "egress"));
        assertThat(defaults).as("DNS and the push service only").hasSize(2);
    }

    @Test
    void aRelayClientIsBoundToOneEnvironmentAndMayChooseItsMode() {
        Map<String, Object> container = HelmChart.render("-f", PRODUCTION).container();
        assertThat(value(container, "GATEWAY_CLIENTS_3_ID")).isEqualTo("manage-relay");
        assertThat(value(container, "GATEWAY_CLIENTS_3_ROLES")).isEqualTo("RELAY");
        assertThat(value(container, "GATEWAY_CLIENTS_3_ENVIRONMENT")).isEqualTo("prod");
        assertThat(value(container, "GATEWAY_CLIENTS_3_RELAYMODE")).isEqualTo("QUEUE");
        assertThat(envNames(container)).as("no mode unless one is given").doesNotContain("GATEWAY_CLIENTS_0_RELAYMODE");
        assertThat(value(HelmChart.render("-f", SANDBOX).container(), "GATEWAY_CLIENTS_0_ROLES"))
            .isEqualTo("SEND,ADMIN,RELAY");
        Rendered sync = HelmChart
            .render(with(ONE_CLIENT, "--set", "clients[0].roles={RELAY}", "--set", "clients[0].relayMode=SYNC"));
        assertThat(value(sync.container(), "GATEWAY_CLIENTS_0_RELAYMODE")).isEqualTo("SYNC");
        Result everywhere = HelmChart
            .template(with(ONE_CLIENT, "--set", "clients[0].roles={ADMIN,RELAY}", "--set", "clients[0].environment=*"));
        assertThat(everywhere.exitCode()).isNotZero();
        assertThat(everywhere.stderr()).contains("clients[0] (c) is bound to every environment (*)")
            .contains("has the role RELAY")
            .contains("must be bound to one environment");
        Result unknownMode = HelmChart.template(with(ONE_CLIENT, "--set", "clients[0].relayMode=LATER"));
        assertThat(unknownMode.exitCode()).isNotZero();
        assertThat(unknownMode.stderr()).contains("relayMode");
    }

    @Test
    void callbackUrlAndPrefixesAreIndexedVariables() {
        Map<String, Object> container = HelmChart.render("-f", PRODUCTION).container();
        assertThat(value(container, "GATEWAY_CLIENTS_3_CALLBACKURL"))
            .isEqualTo("http://receiver.integration.svc:8080/push-status");
        assertThat(value(container, "GATEWAY_CLIENTS_3_CALLBACKURLPREFIXES_0"))
            .isEqualTo("https://hooks.example.com/mas/");
        assertThat(value(container, "GATEWAY_CLIENTS_3_CALLBACKURLPREFIXES_1"))
            .isEqualTo("http://receiver.integration.svc:8080/");
        assertThat(envNames(container)).doesNotContain("GATEWAY_CLIENTS_3_CALLBACKURLPREFIXES_2")
            .as("no callback settings for a client without callbacks")
            .noneMatch((name) -> name.startsWith("GATEWAY_CLIENTS_0_CALLBACK"));
        Result ftp = HelmChart.template(with(ONE_CLIENT, "--set", "clients[0].callbackUrl=ftp://hooks.example.com/",
                "--set-string", "clients[0].callbackSecret=" + TRIAL_CALLBACK_SECRET));
        assertThat(ftp.exitCode()).isNotZero();
        assertThat(ftp.stderr()).contains("/clients/0/callbackUrl");
    }

    @Test
    void theCallbackSecretComesFromTheSecretAndIsNeverAPlainValue() {
        Map<String, Object> production = HelmChart.render("-f", PRODUCTION).container();
        assertThat(secretRef(production, "GATEWAY_CLIENTS_3_CALLBACKSECRET"))
            .containsEntry("name", "mas-push-gateway-secrets")
            .containsEntry("key", "client-manage-relay-callback-secret");
        assertThat(envNames(production)).doesNotContain("GATEWAY_CLIENTS_0_CALLBACKSECRET");
        Rendered trial = HelmChart.render("-f", SANDBOX);
        Map<String, Object> secret = trial.one("Secret");
        assertThat(secretRef(trial.container(), "GATEWAY_CLIENTS_0_CALLBACKSECRET"))
            .containsEntry("name", at(secret, "metadata", "name"))
            .containsEntry("key", "client-trial-callback-secret");
        assertThat(variable(trial.container(), "GATEWAY_CLIENTS_0_CALLBACKSECRET")).doesNotContainKey("value");
        String encoded = Base64.getEncoder().encodeToString(TRIAL_CALLBACK_SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(at(secret, "data", "client-trial-callback-secret")).isEqualTo(encoded);
        assertThat(trial.text()).doesNotContain(TRIAL_CALLBACK_SECRET);
        List<Map<String, Object>> others = new ArrayList<>(trial.objects());
        others.remove(secret);
        assertThat(HelmChart.yaml().dumpAll(others.iterator())).doesNotContain(encoded);
        assertThat(HelmChart.yaml().dump(trial.applicationConfig())).doesNotContain("callback");
    }

    @Test
    void callbacksWithoutACallbackSecretAreRefused() {
        for (String callbacks : List.of("clients[0].callbackUrl=https://hooks.example.com/mas",
                "clients[0].callbackUrlPrefixes={https://hooks.example.com/mas/}")) {
            Result refused = HelmChart.template(with(ONE_CLIENT, "--set", callbacks));
            assertThat(refused.exitCode()).as(callbacks).isNotZero();
            assertThat(refused.stderr()).as(callbacks)
                .contains("clients[0] (c) has a callbackUrl or callbackUrlPrefixes but no callbackSecret")
                .contains("client-c-callback-secret");
        }
        Rendered existing = HelmChart.render("--set", "existingSecret=s", "--set", "clients[0].id=c", "--set",
                "clients[0].callbackUrl=https://hooks.example.com/mas");
        assertThat(secretRef(existing.container(), "GATEWAY_CLIENTS_0_CALLBACKSECRET")).containsEntry("name", "s")
            .containsEntry("key", "client-c-callback-secret");
    }

    @Test
    void aCallbackSecretBesideTheExistingSecretIsRefused() {
        Result refused = HelmChart.template("--set", "existingSecret=s", "--set", "clients[0].id=c", "--set",
                "clients[0].callbackUrl=https://hooks.example.com/mas", "--set-string",
                "clients[0].callbackSecret=" + TRIAL_CALLBACK_SECRET);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr())
            .contains("clients[0].callbackSecret is ignored with existingSecret: put it in that Secret under the key "
                    + "client-c-callback-secret")
            .as("the refusal does not repeat the secret")
            .doesNotContain(TRIAL_CALLBACK_SECRET);
    }

    @Test
    void severalReplicasOnTheEmbeddedDatabaseAreRefused() {
        Result refused = HelmChart.template("--set", "replicaCount=2");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("replicaCount is 2 but database.type is embedded")
            .contains("cannot be shared by several replicas")
            .contains("database.type=postgresql");
        Result autoscaled = HelmChart.template("--set", "autoscaling.enabled=true", "--set",
                "autoscaling.maxReplicas=3");
        assertThat(autoscaled.exitCode()).isNotZero();
        assertThat(autoscaled.stderr()).contains("autoscaling.maxReplicas is 3 but database.type is embedded");
        Rendered postgres = HelmChart.render("--set", "replicaCount=2", "--set", "database.type=postgresql", "--set",
                "database.postgresql.url=jdbc:postgresql://db:5432/gw", "--set", "database.postgresql.username=gw");
        assertThat(at(postgres.one("Deployment"), "spec", "replicas")).isEqualTo(2);
        assertThat(at(postgres.one("Deployment"), "spec", "strategy", "type")).isEqualTo("RollingUpdate");
        assertThat(postgres.all("PersistentVolumeClaim")).isEmpty();
    }

    @Test
    void oneReplicaKeepsTheEmbeddedDatabaseOnAClaim() {
        Rendered rendered = HelmChart.render();
        assertThat(at(rendered.one("Deployment"), "spec", "strategy", "type")).isEqualTo("Recreate");
        String claim = (String) at(rendered.one("PersistentVolumeClaim"), "metadata", "name");
        assertThat(at(volume(rendered.podSpec(), "data"), "persistentVolumeClaim", "claimName")).isEqualTo(claim);
        String dataDir = (String) at(rendered.applicationConfig(), "gateway", "data-dir");
        assertThat(mountPath(rendered.container(), "data")).isEqualTo(dataDir);
    }

    @Test
    void aPodDisruptionBudgetSelectsThePods() {
        Rendered rendered = HelmChart.render();
        Map<String, Object> budget = rendered.one("PodDisruptionBudget");
        assertThat(at(budget, "spec", "maxUnavailable")).isEqualTo(1);
        Map<String, Object> selector = map(at(budget, "spec", "selector", "matchLabels"));
        Map<String, Object> podLabels = map(at(rendered.one("Deployment"), "spec", "template", "metadata", "labels"));
        assertThat(podLabels).containsAllEntriesOf(selector);
        assertThat(selector).isNotEmpty();
    }

    @Test
    void autoscalingTakesOverTheReplicaCount() {
        Rendered rendered = HelmChart.render("-f", PRODUCTION);
        Map<String, Object> autoscaler = rendered.one("HorizontalPodAutoscaler");
        assertThat(at(autoscaler, "spec", "maxReplicas")).isEqualTo(6);
        assertThat(at(autoscaler, "spec", "scaleTargetRef", "name"))
            .isEqualTo(at(rendered.one("Deployment"), "metadata", "name"));
        assertThat(map(rendered.one("Deployment").get("spec"))).doesNotContainKey("replicas");
        assertThat(HelmChart.render().all("HorizontalPodAutoscaler")).isEmpty();
    }

    @Test
    void terminationGraceOutlastsThePauseAndTheDrain() {
        Rendered rendered = HelmChart.render();
        Map<String, Object> config = rendered.applicationConfig();
        long shutdownGrace = seconds(at(config, "gateway", "delivery", "shutdown-grace"));
        long phaseTimeout = seconds(at(config, "spring", "lifecycle", "timeout-per-shutdown-phase"));
        long preStop = ((Integer) at(rendered.container(), "lifecycle", "preStop", "sleep", "seconds")).longValue();
        int termination = (Integer) rendered.podSpec().get("terminationGracePeriodSeconds");
        assertThat(shutdownGrace).isEqualTo(20);
        assertThat(preStop).isPositive();
        assertThat(termination).isGreaterThan((int) (preStop + phaseTimeout + shutdownGrace));
        Result refused = HelmChart.template("--set", "delivery.shutdownGraceSeconds=40");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("terminationGracePeriodSeconds is 60 but must be longer than");
        Rendered longer = HelmChart.render("--set", "delivery.shutdownGraceSeconds=40", "--set",
                "terminationGracePeriodSeconds=90");
        assertThat(at(longer.applicationConfig(), "gateway", "delivery", "shutdown-grace")).isEqualTo("40s");
    }

    @Test
    void httpsOnTheApiPortUsesTheMountedCertificate() {
        Rendered rendered = HelmChart.render("-f", PRODUCTION);
        Map<String, Object> config = rendered.applicationConfig();
        assertThat(at(config, "server", "ssl", "bundle")).isEqualTo("api");
        assertThat(at(config, "spring", "ssl", "bundle", "pem", "api", "keystore", "certificate"))
            .isEqualTo("/etc/mas-push-gateway/tls/tls.crt");
        assertThat(at(volume(rendered.podSpec(), "tls"), "secret", "secretName")).isEqualTo("mas-push-gateway-tls");
        assertThat(mountPath(rendered.container(), "tls")).isEqualTo("/etc/mas-push-gateway/tls");
        assertThat(at(HelmChart.render().applicationConfig(), "server", "ssl")).isNull();
    }

    @Test
    void theDashboardAndTheAlertRulesAreShipped() throws Exception {
        Rendered rendered = HelmChart.render("-f", PRODUCTION);
        Map<String, Object> dashboard = rendered.all("ConfigMap")
            .stream()
            .filter((object) -> at(object, "data", "mas-push-gateway.json") != null)
            .findFirst()
            .orElseThrow();
        assertThat(at(dashboard, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
        String json = Files.readString(HelmChart.CHART.resolve("files/mas-push-gateway.json"));
        assertThat(at(dashboard, "data", "mas-push-gateway.json")).isEqualTo(json.strip());
        Map<String, Object> rule = rendered.one("PrometheusRule");
        Object groups = map(HelmChart.yaml().load(Files.readString(HelmChart.CHART.resolve("files/alerts.yml"))))
            .get("groups");
        assertThat(at(rule, "spec", "groups")).isEqualTo(groups);
        assertThat(list(groups)).isNotEmpty();
        Map<String, Object> monitor = rendered.one("ServiceMonitor");
        Map<String, Object> endpoint = map(list(at(monitor, "spec", "endpoints")).get(0));
        assertThat(endpoint).containsEntry("port", "management").containsEntry("path", "/actuator/prometheus");
    }

    private static String[] with(String[] first, String... more) {
        List<String> args = new ArrayList<>(List.of(first));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static long seconds(Object value) {
        assertThat(value).isInstanceOf(String.class);
        return Duration.parse("PT" + ((String) value).toUpperCase()).toSeconds();
    }

    private static List<String> egressPorts(List<Object> rules) {
        List<String> ports = new ArrayList<>();
        for (Object rule : rules) {
            for (Object port : list(map(rule).get("ports"))) {
                ports.add(map(port).get("port") + "/" + map(port).get("protocol"));
            }
        }
        return ports;
    }

    private static Map<String, Object> volume(Map<String, Object> pod, String name) {
        return list(pod.get("volumes")).stream()
            .map(HelmChart::map)
            .filter((volume) -> name.equals(volume.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static Map<String, Object> mount(Map<String, Object> container, String name) {
        return list(container.get("volumeMounts")).stream()
            .map(HelmChart::map)
            .filter((mount) -> name.equals(mount.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume mount " + name));
    }

    private static String mountPath(Map<String, Object> container, String name) {
        return (String) mount(container, name).get("mountPath");
    }

    private static Object port(Map<String, Object> container, String name) {
        return list(container.get("ports")).stream()
            .map(HelmChart::map)
            .filter((port) -> name.equals(port.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no container port " + name))
            .get("containerPort");
    }

    private static List<String> envNames(Map<String, Object> container) {
        return list(container.get("env")).stream().map((variable) -> (String) map(variable).get("name")).toList();
    }

    private static Map<String, Object> variable(Map<String, Object> container, String name) {
        return list(container.get("env")).stream()
            .map(HelmChart::map)
            .filter((variable) -> name.equals(variable.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no environment variable " + name));
    }

    private static Object value(Map<String, Object> container, String name) {
        return variable(container, name).get("value");
    }

    private static Map<String, Object> secretRef(Map<String, Object> container, String name) {
        return map(at(variable(container, name), "valueFrom", "secretKeyRef"));
    }

}
