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
    && java -Djarmode=tools -jar app.jar extract --layers --destination extracted

FROM eclipse-temurin:25-jre
# No packages are added to the runtime image: no curl, no package manager runs here.
WORKDIR /app
RUN mkdir -p /app/data \
    && chown -R 10001:0 /app/data \
    && chmod -R g=u /app/data
# One layer per Spring Boot layer, least often changed first: lib/ holds the dependencies, app.jar the gateway.
COPY --from=build --chown=10001:0 /build/extracted/dependencies/ ./
COPY --from=build --chown=10001:0 /build/extracted/spring-boot-loader/ ./
COPY --from=build --chown=10001:0 /build/extracted/snapshot-dependencies/ ./
COPY --from=build --chown=10001:0 /build/extracted/application/ ./
# JVM options for a small pod (the chart's default is one CPU and 768 MiB), chosen with bench/ (docs/performance.md):
# the serial collector, which the JVM picks by itself on one CPU and which keeps the resident set under 256 MB under
# load where G1 took 330 MB; C1 only, because C2's compilations compete with the requests for the pod's CPU (the
# relay and the drain were faster without them); a tenth of the memory as the first heap and no full collection for
# class metadata, so that a start is not spent growing the heap; two malloc arenas, not one per thread. The heap follows the container's memory limit; an out-of-memory error ends the process
# so it is restarted. They are JAVA_TOOL_OPTIONS, so that the chart's env can replace them.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0 -XX:InitialRAMPercentage=10 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -XX:MetaspaceSize=128m -XX:TieredStopAtLevel=1" \
    MALLOC_ARENA_MAX=2
# Java 25's ahead-of-time cache of the classes a start loads and links, written by a training start that stops once
# the context has refreshed: it halves the time to ready (bench/footprint.sh). The training start needs no push
# service and no client, and leaves nothing behind but the cache.
RUN java -XX:AOTCacheOutput=/app/app.aot -Dspring.context.exit=onRefresh -Djava.io.tmpdir=/tmp -jar /app/app.jar \
        --gateway.data-dir=/tmp/aot-training --gateway.security.enabled=false \
    && rm -rf /tmp/aot-training
USER 10001:0
EXPOSE 8080 8081
ENTRYPOINT ["java", "-XX:AOTCache=/app/app.aot", "-Djava.io.tmpdir=/tmp", "-jar", "/app/app.jar"]
