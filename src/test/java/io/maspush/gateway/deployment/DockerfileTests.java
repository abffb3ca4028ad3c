package io.maspush.gateway.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the Dockerfile's properties by reading it, since no container engine runs where
 * the tests do: a multi-stage build, a layered copy of the Spring Boot jar, a numeric
 * non-root user, the two ports, a JVM sized from the container, no secret in any layer
 * and a {@code .dockerignore} that keeps build output, data and history out of the
 * context.
 */
class DockerfileTests {

    private static final Path DOCKERFILE = Path.of("Dockerfile");

    private static final Path DOCKERIGNORE = Path.of(".dockerignore");

    private static final Pattern FROM = Pattern.compile("(?i)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?$");

    @Test
    void buildsInOneStageAndRunsInAnotherOnJava25() throws IOException {
        List<List<String>> stages = stages();
        assertThat(stages).as("build stages").hasSizeGreaterThanOrEqualTo(2);
        Matcher build = from(stages.get(0));
        assertThat(build.group(1)).matches("eclipse-temurin:(17|25)-jdk.*");
        assertThat(build.group(2)).as("the build stage is named").isNotNull();
        assertThat(String.join("\n", stages.get(0))).contains("./mvnw");
        assertThat(from(finalStage()).group(1)).matches("eclipse-temurin:25-jre.*");
    }

    @Test
    void copiesTheSpringBootLayersSeparately() throws IOException {
        String build = String.join("\n", stages().get(0));
        assertThat(build).contains("-Djarmode=tools").contains("extract").contains("--layers");
        List<String> copies = instructions(finalStage(), "COPY").stream()
            .filter((copy) -> copy.contains("--from="))
            .toList();
        List<String> layers = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        assertThat(copies).as("one COPY per layer, least often changed first").hasSize(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            assertThat(copies.get(i)).contains("/" + layers.get(i) + "/");
        }
        assertThat(String.join("\n", instructions(finalStage(), "ENTRYPOINT"))).contains("\"-jar\", \"/app/app.jar\"");
    }

    @Test
    void startsFromAnAotCacheThatATrainingStartWroteInTheImage() throws IOException {
        List<String> finalStage = finalStage();
        String training = instructions(finalStage, "RUN").stream()
            .filter((run) -> run.contains("-XX:AOTCacheOutput="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no RUN writes an AOT cache"));
        Matcher output = Pattern.compile("-XX:AOTCacheOutput=(\\S+)").matcher(training);
        assertThat(output.find()).isTrue();
        assertThat(training).as("the training start stops once the context has refreshed")
            .contains("-Dspring.context.exit=onRefresh")
            .contains("/app/app.jar");
        String entrypoint = String.join("\n", instructions(finalStage, "ENTRYPOINT"));
        assertThat(entrypoint).contains("-XX:AOTCache=" + output.group(1));
        int trainingAt = finalStage.indexOf(training);
        int userAt = finalStage.indexOf(instructions(finalStage, "USER").get(0));
        assertThat(trainingAt).as("written as root, before USER, into the root-owned /app").isLessThan(userAt);
    }

    @Test
    void runsAsANumericNonRootUserInGroupZero() throws IOException {
        List<String> users = instructions(finalStage(), "USER");
        assertThat(users).as("USER in the final stage").isNotEmpty();
        String user = users.get(users.size() - 1).substring("USER".length()).trim();
        assertThat(user).as("numeric user (and group), so Kubernetes can verify runAsNonRoot").matches("\\d+(:\\d+)?");
        int uid = Integer.parseInt(user.split(":")[0]);
        assertThat(uid).as("not root").isPositive();
        if (user.contains(":")) {
            assertThat(user.split(":")[1]).as("group 0, as under OpenShift's random UID").isEqualTo("0");
        }
        String finalStage = String.join("\n", finalStage());
        assertThat(finalStage).as("writable directories belong to group 0").contains("chmod -R g=u");
        assertThat(instructions(finalStage(), "COPY")).allMatch((copy) -> copy.contains("--chown=" + uid + ":0"));
    }

    @Test
    void exposesTheApiAndManagementPorts() throws IOException {
        List<String> ports = new ArrayList<>();
        for (String expose : instructions(finalStage(), "EXPOSE")) {
            ports.addAll(List.of(expose.substring("EXPOSE".length()).trim().split("\\s+")));
        }
        assertThat(ports).contains("8080", "8081");
    }

    @Test
    void sizesTheHeapFromTheContainerWithOptionsTheChartCanReplace() throws IOException {
        String options = instructions(finalStage(), "ENV").stream()
            .filter((env) -> env.contains("JAVA_TOOL_OPTIONS="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no JAVA_TOOL_OPTIONS in the final stage"));
        assertThat(options).containsPattern("-XX:MaxRAMPercentage=\\d+(\\.\\d+)?").doesNotContain("-Xmx");
        assertThat(String.join("\n", instructions(finalStage(), "ENTRYPOINT"))).doesNotContain("-Xmx", "RAMPercentage");
    }

    @Test
    void addsNoToolsToTheRuntimeImage() throws IOException {
        String finalStage = String.join("\n", finalStage()).toLowerCase(Locale.ROOT);
        assertThat(finalStage).doesNotContain("apt-get", "apk ", "microdnf", "yum ", "curl", "wget");
    }

    @Test
    void keepsNoSecretInAnyLayer() throws IOException {
        for (String line : logicalLines()) {
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("ENV ") || upper.startsWith("ARG ")) {
                assertThat(upper).as("a secret in an image layer: %s", line)
                    .doesNotContainPattern("(KEY|TOKEN|PASSWORD|SECRET)\\S*\\s*=");
                assertThat(upper).doesNotContainPattern("(KEY|TOKEN|PASSWORD|SECRET)\\S*\\s+\\S");
            }
            assertThat(upper).as("no credentials copied in: %s", line)
                .doesNotContainPattern("COPY.*\\.(PEM|KEY|P12)\\b");
        }
    }

    @Test
    void ignoresBuildOutputDataAndHistory() throws IOException {
        List<String> ignored = Files.readAllLines(DOCKERIGNORE)
            .stream()
            .map(String::trim)
            .filter((line) -> !line.isEmpty() && !line.startsWith("#"))
            .map((line) -> line.replaceAll("^/|/$", ""))
            .toList();
        assertThat(ignored).contains("target", "data", ".git");
    }

    /** The Dockerfile's instructions, continuation lines joined and comments dropped. */
    private static List<String> logicalLines() throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(DOCKERFILE)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            lines.add(current.toString().strip());
            current.setLength(0);
        }
        return lines;
    }

    private static List<List<String>> stages() throws IOException {
        List<List<String>> stages = new ArrayList<>();
        for (String line : logicalLines()) {
            if (FROM.matcher(line).matches()) {
                stages.add(new ArrayList<>());
            }
            if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).add(line);
            }
        }
        return stages;
    }

    private static List<String> finalStage() throws IOException {
        List<List<String>> stages = stages();
        assertThat(stages).isNotEmpty();
        return stages.get(stages.size() - 1);
    }

    private static Matcher from(List<String> stage) {
        Matcher matcher = FROM.matcher(stage.get(0));
        assertThat(matcher.matches()).isTrue();
        return matcher;
    }

    private static List<String> instructions(List<String> stage, String instruction) {
        return stage.stream().filter((line) -> line.toUpperCase(Locale.ROOT).startsWith(instruction + " ")).toList();
    }

}
