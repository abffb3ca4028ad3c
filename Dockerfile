# syntax=docker/dockerfile:1
# mas-push-gateway image: built with the Maven wrapper on a JDK, run on a Java 25 JRE from Spring Boot's layered jar,
# as a non-root numeric user that also works under OpenShift's random UID (group 0 owns the writable directories).
#
#   docker build -t mas-push-gateway .
#   docker run -p 8080:8080 -p 8081:8081 mas-push-gateway --spring.profiles.active=sandbox

FROM eclipse-temurin:17-jdk AS build
WORKDIR /build
# The wrapper and the POM first, so the dependency download is a layer of its own that source changes do not redo.
COPY mvnw pom.xml .springjavaformatconfig ./
COPY .mvn .mvn
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline
COPY src src
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests -Djacoco.skip=true package \
    && cp target/mas-push-gateway-*.jar app.jar \
    && java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:25-jre
# No packages are added to the runtime image: no curl, no package manager runs here.
WORKDIR /app
RUN mkdir -p /app/data \
    && chown -R 10001:0 /app/data \
    && chmod -R g=u /app/data
# One layer per Spring Boot layer, least often changed first.
COPY --from=build --chown=10001:0 /build/extracted/dependencies/ ./
COPY --from=build --chown=10001:0 /build/extracted/spring-boot-loader/ ./
COPY --from=build --chown=10001:0 /build/extracted/snapshot-dependencies/ ./
COPY --from=build --chown=10001:0 /build/extracted/application/ ./
USER 10001:0
EXPOSE 8080 8081
# The heap follows the container's memory limit; an out-of-memory error ends the process so it is restarted.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", \
    "org.springframework.boot.loader.launch.JarLauncher"]
