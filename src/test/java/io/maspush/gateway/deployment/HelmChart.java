package io.maspush.gateway.deployment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Renders the chart under {@code helm/mas-push-gateway} with the Helm binary named by
 * {@code HELM_BIN}, or the one {@code scripts/install-helm.sh} installs by default.
 */
final class HelmChart {

    static final Path CHART = Path.of("helm", "mas-push-gateway");

    private HelmChart() {
    }

    static Path helm() {
        String configured = System.getenv("HELM_BIN");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                fail("HELM_BIN names " + path + ", which is not an executable file; run scripts/install-helm.sh");
            }
            return path;
        }
        String home = System.getenv("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        Path installed = Path.of(home, ".cache", "mas-push-gateway", "helm", "helm");
        if (!Files.isExecutable(installed)) {
            fail("No Helm binary: HELM_BIN is not set and " + installed
                    + " does not exist. Run scripts/install-helm.sh (it prints the path to export as HELM_BIN)");
        }
        return installed;
    }

    /**
     * Render the chart.
     * @param args further arguments of {@code helm template}, such as {@code --set a=b}
     * @return the exit code, standard output and standard error
     */
    static Result template(String... args) {
        List<String> command = new ArrayList<>(
                List.of(helm().toString(), "template", "gw", CHART.toString(), "--namespace", "mas-push"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("helm template did not finish within 60 seconds");
            }
            return new Result(process.exitValue(), out.join(), err.join());
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot run " + command, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Render the chart and parse the objects, failing when Helm refuses.
     * @param args further arguments of {@code helm template}
     * @return the rendered objects
     */
    static Rendered render(String... args) {
        Result result = template(args);
        assertThat(result.exitCode()).as("helm template failed: %s", result.stderr()).isZero();
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : yaml().loadAll(result.stdout())) {
            if (document != null) {
                objects.add(map(document));
            }
        }
        return new Rendered(result.stdout(), objects);
    }

    static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    /**
     * Follow a path of map keys.
     * @param root where to start
     * @param keys the keys
     * @return what is there, {@code null} if anything on the way is missing
     */
    static Object at(Object root, String... keys) {
        Object current = root;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    private static String read(java.io.InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    record Rendered(String text, List<Map<String, Object>> objects) {

        List<Map<String, Object>> all(String kind) {
            return this.objects.stream().filter((object) -> kind.equals(object.get("kind"))).toList();
        }

        Map<String, Object> one(String kind) {
            List<Map<String, Object>> found = all(kind);
            assertThat(found).as("rendered objects of kind %s", kind).hasSize(1);
            return found.get(0);
        }

        Map<String, Object> podSpec() {
            return map(at(one("Deployment"), "spec", "template", "spec"));
        }

        Map<String, Object> container() {
            List<Object> containers = list(podSpec().get("containers"));
            assertThat(containers).hasSize(1);
            return map(containers.get(0));
        }

        /** The application configuration the ConfigMap mounts, parsed. */
        Map<String, Object> applicationConfig() {
            Map<String, Object> configMap = all("ConfigMap").stream()
                .filter((object) -> at(object, "data", "application.yaml") != null)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap with application.yaml"));
            return map(yaml().load((String) Objects.requireNonNull(at(configMap, "data", "application.yaml"))));
        }

    }

}
