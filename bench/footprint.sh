#!/usr/bin/env bash
# Footprint: time from process start to readiness (polled every 20 ms) and the "Started GatewayApplication in X
# seconds" line, and RSS 5 s after ready (1 s in smoke mode), for: Java 25 and Java 17 on the fat jar, Java 25 on the
# extracted jar (java -Djarmode=tools ... extract), and Java 25 on the extracted jar with a CDS archive (Spring Boot's
# class data sharing path: -XX:ArchiveClassesAtExit in a training run) and with an AOT cache (JEP 483/514:
# -XX:AOTCacheOutput in a training run). The training runs exit after startup (-Dspring.context.exit=onRefresh).
# Every variant starts RUNS times (3, smoke 1) on one H2 database whose schema a first, discarded start created
# (in smoke mode the first measured start creates it); the median is recorded. RSS under load comes from delivery-drain.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init footprint
resolve_jar
BENCH_JFR=0 # a recording would slow the start it measures

runs=${FOOTPRINT_RUNS:-$(smoke_or 3 1)}
idle=$(smoke_or 5 1)
stub_port=$(free_port)
nginx_start stub "$stub_port" "$STUB_OK"
export GW_DATA_DIR="$WORK/data"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# measure VARIANT JAVA JAR [JVM OPTIONS...]: RUNS starts of one variant.
measure() {
    local variant="$1" i ready=() started=() rss=()
    GW_JAVA=$2
    GW_JAR=$3
    shift 3
    GW_JVM_OPTS=("$@")
    for ((i = 1; i <= runs; i++)); do
        gateway_start "$variant-$i" "$stub_port"
        gateway_ready
        ready+=("$GW_READY_MS")
        started+=("$(sed -n 's/.*Started GatewayApplication in \([0-9.]*\) seconds.*/\1/p' "$GW_LOG" | head -n 1)")
        sleep "$idle"
        rss+=("$(rss_kb "$GW_PID")")
        gateway_stop
    done
    kv "${variant}_ready_ms" "$(printf '%s\n' "${ready[@]}" | median)"
    kv "${variant}_started_s" "$(printf '%s\n' "${started[@]}" | median)"
    kv "${variant}_rss_idle_kb" "$(printf '%s\n' "${rss[@]}" | median)"
    kv "${variant}_ready_runs_ms" "$(IFS=,; echo "${ready[*]}")"
    log "$variant: ready after ${ready[*]} ms"
}

# train NAME JAR JVM OPTIONS...: a run that writes a CDS archive or AOT cache when the context has refreshed.
train() {
    local name="$1" jar="$2"
    shift 2
    GW_JAVA=$JAVA
    GW_JAR=$jar
    GW_JVM_OPTS=("$@" -Dspring.context.exit=onRefresh)
    gateway_start "$name" "$stub_port"
    local deadline=$(($(now_ms) + 180000))
    while kill -0 "$GW_PID" 2>/dev/null; do
        [ "$(now_ms)" -lt "$deadline" ] || die "training run $name did not exit"
        sleep 0.2
    done
    wait "$GW_PID" || true
    kv "${name}_ms" $(($(now_ms) - GW_START_MS))
}

kv java25 "$("$JAVA" -version 2>&1 | head -n 1)"
kv java17 "$("$JAVA17" -version 2>&1 | head -n 1)"
if [ "$BENCH_SMOKE" = 0 ]; then
    log "first start: creates the schema, warms the page cache"
    gateway_start schema "$stub_port"
    gateway_ready
    gateway_stop
fi

"$JAVA" -Djarmode=tools -jar "$GATEWAY_JAR" extract --destination "$WORK/extracted" >"$WORK/extract.log" 2>&1 ||
    { cat "$WORK/extract.log" >&2; die "jar extraction"; }
extracted=$(ls "$WORK"/extracted/*.jar | head -n 1)
train train_cds "$extracted" -XX:ArchiveClassesAtExit="$WORK/app.jsa"
[ -s "$WORK/app.jsa" ] || die "no CDS archive written"
train train_aot "$extracted" -XX:AOTCacheOutput="$WORK/app.aot"
[ -s "$WORK/app.aot" ] || die "no AOT cache written"

measure j25 "$JAVA" "$GATEWAY_JAR"
measure j17 "$JAVA17" "$GATEWAY_JAR"
measure j25_extracted "$JAVA" "$extracted"
measure j25_cds "$JAVA" "$extracted" -XX:SharedArchiveFile="$WORK/app.jsa"
measure j25_aot "$JAVA" "$extracted" -XX:AOTCache="$WORK/app.aot"
