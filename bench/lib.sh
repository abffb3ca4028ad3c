# shellcheck shell=bash
# Helpers shared by the benchmark scenarios; sourced, never run. A scenario script sources this file, calls
# bench_init with its name, and then starts nginx stubs, gateways and load generators with the functions below.
# Everything listens on 127.0.0.1; every process started here is stopped and every temporary file removed on exit.
#
# Environment:
#   GATEWAY_JAR   the gateway jar (default: target/mas-push-gateway-*.jar, built when absent)
#   JAVA          the JDK that runs the gateway and the Java helpers (default: Temurin 25 when installed)
#   JAVA17        the Java 17 JDK for the footprint comparison (default: the system's Java 17)
#   BENCH_SMOKE   1 for tiny durations and counts (set by run-all --smoke)
#   BENCH_OUT     directory that receives <scenario>.kv (default: a new temporary directory, printed at the end)
#   BENCH_JFR     1 to record a JFR profile of the gateway during the measured phase of relay-hop, durable-accept
#                 and the drains into BENCH_OUT/jfr, each with a summary of where the CPU samples fell
#   BENCH_KEEP    1 to keep the work directory (logs, nginx configs, wrk output) for a look afterwards
#   BENCH_JVM_OPTS  options for every JVM started here (gateways, RateLoad, RawInsert); in smoke mode by default
#                 -XX:TieredStopAtLevel=1, which halves the CPU time of a gateway start (smoke numbers mean nothing)
#   GATEWAY_JVM_OPTS  options of the gateways only (default: the image's JAVA_TOOL_OPTIONS from the Dockerfile, and
#                 -XX:MaxRAM=768m, the chart's memory limit, so that the JVM sizes itself as in the default pod)
#   GATEWAY_MEMORY  the memory limit the gateways are sized for (default 768m)

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
BENCH_SMOKE=${BENCH_SMOKE:-0}
BENCH_TOKEN=bench-token-0123456789abcdef
BENCH_API_KEY=bench-api-key
ACCEPT_BODY='{"recipients": ["WILSON"], "title": "Work order 1042 assigned", "body": "Pump P-100 leaks"}'
RELAY_BODY='{"bundleId":"com.ibm.iot.maximo.mobile","apiKey":"'"$BENCH_TOKEN"'","users":["WILSON"],'
RELAY_BODY+='"message":"Work order 1042 assigned"}'
PUSH_PATH=/pushnotification/sendMessage
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}

default_java() {
    local candidate
    for candidate in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*-25*/bin/java; do
        [ -x "$candidate" ] && { echo "$candidate"; return; }
    done
    command -v java
}

default_java17() {
    local candidate
    for candidate in /usr/lib/jvm/java-17-openjdk-*/bin/java /usr/lib/jvm/*-17*/bin/java; do
        [ -x "$candidate" ] && { echo "$candidate"; return; }
    done
    command -v java
}

JAVA=${JAVA:-$(default_java)}
if [ "$BENCH_SMOKE" = 1 ]; then
    BENCH_JVM_OPTS=${BENCH_JVM_OPTS--XX:TieredStopAtLevel=1}
fi
read -r -a JVM_OPTS <<<"${BENCH_JVM_OPTS:-}"

# The JVM options the image runs the gateway with: one place (the Dockerfile) decides them for both.
image_jvm_opts() {
    sed -n 's/^ENV JAVA_TOOL_OPTIONS="\([^"]*\)".*/\1/p' "$REPO_DIR/Dockerfile" | head -n 1
}
if [ -z "${GATEWAY_JVM_OPTS+x}" ]; then
    GATEWAY_JVM_OPTS="$(image_jvm_opts) -XX:MaxRAM=${GATEWAY_MEMORY:-768m}"
fi
read -r -a GATEWAY_OPTS <<<"$GATEWAY_JVM_OPTS"
JAVA17=${JAVA17:-$(default_java17)}

# --- bookkeeping -----------------------------------------------------------------------------------------------

BENCH_PIDS=()
BENCH_CLEANUPS=()

now_ms() { date +%s%3N; }

log() { printf '[%s %s] %s\n' "$(date +%T)" "${SCENARIO:-bench}" "$*" >&2; }

die() {
    log "FAILED: $*"
    exit 1
}

# Stop a process with SIGTERM, wait up to $2 seconds (default 30), then SIGKILL what is left.
stop_pid() {
    local pid="$1" limit="${2:-30}" i
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < limit * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

bench_cleanup() {
    local rc=$? i
    trap - EXIT
    for ((i = ${#BENCH_CLEANUPS[@]} - 1; i >= 0; i--)); do
        eval "${BENCH_CLEANUPS[$i]}" >/dev/null 2>&1 || true
    done
    for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
        stop_pid "${BENCH_PIDS[$i]}" 10
    done
    if [ "${BENCH_KEEP:-0}" = 1 ]; then
        log "work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}

# bench_init NAME: the work directory, the output file and the exit trap of one scenario.
bench_init() {
    SCENARIO="$1"
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-$SCENARIO.XXXXXX")
    chmod 755 "$WORK" # nginx workers may run as another user
    if [ -z "${BENCH_OUT:-}" ]; then
        BENCH_OUT=$(mktemp -d "${TMPDIR:-/tmp}/bench-out.XXXXXX")
        log "results go to $BENCH_OUT"
    fi
    mkdir -p "$BENCH_OUT"
    KV="$BENCH_OUT/$SCENARIO.kv"
    : >"$KV"
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
    printf '%s' "$ACCEPT_BODY" >"$WORK/accept.json"
    printf '%s' "$RELAY_BODY" >"$WORK/relay.json"
}

# smoke_or FULL SMOKE: the value for the current mode.
smoke_or() { if [ "$BENCH_SMOKE" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# kv KEY VALUE: one result of this scenario.
kv() { printf '%s=%s\n' "$1" "$2" >>"$KV"; }

# kv_prefixed PREFIX FILE: every key=value line of FILE, as PREFIX_key.
kv_prefixed() { sed -n "s/^\([a-z0-9_]*\)=/$1_\1=/p" "$2" >>"$KV"; }

# kv_get FILE KEY: a value written by kv (empty when absent).
kv_get() { sed -n "s/^$2=//p" "$1" | tail -n 1; }

# free_port: a port nothing listens on, below the range the kernel hands out to client sockets, so that no
# connection's own end (to PostgreSQL, to the stub, a readiness check) can hold the port when a server binds it.
free_port() {
    local port low
    low=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    [ "$low" -gt 21000 ] || low=50000
    while :; do
        port=$((20000 + RANDOM % (low - 20000)))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
}

# wait_until SECONDS WHAT COMMAND...: poll COMMAND every 50 ms until it succeeds; fail the scenario after SECONDS.
wait_until() {
    local limit="$1" what="$2" deadline
    shift 2
    deadline=$(($(now_ms) + limit * 1000))
    until "$@" >/dev/null 2>&1; do
        [ "$(now_ms)" -lt "$deadline" ] || die "$what not within $limit s"
        sleep 0.05
    done
}

# http_status URL: the status code of a GET (000 when no answer came).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

http_status() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" || true; }

# post_status URL HEADER BODYFILE: the status code of one POST.
post_status() {
    curl -s -o /dev/null -m 10 -w '%{http_code}' -H 'Content-Type: application/json' -H "$2" \
        --data-binary @"$3" "$1" || true
}

status_is() { [ "$(http_status "$1")" = "$2" ]; }

# cpu_ms PID: the CPU time (user and system) a process has used so far, in milliseconds.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d\n", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }

# kv_cpu PREFIX SINCE_MS COUNT: the gateway's CPU time since SINCE_MS (from cpu_ms) as PREFIX_cpu_s, and per
# operation (COUNT of them) as PREFIX_cpu_ms_per_op.
kv_cpu() {
    local used=$(($(cpu_ms "$GW_PID") - $2))
    kv "$1_cpu_s" "$(awk -v ms="$used" 'BEGIN { printf "%.1f", ms / 1000 }')"
    kv "$1_cpu_ms_per_op" "$(awk -v ms="$used" -v n="$3" 'BEGIN { if (n > 0) printf "%.3f", ms / n }')"
}

# rss_kb PID: resident set size in KiB, 0 when the process is gone.
rss_kb() {
    awk '/^VmRSS:/ { print $2; found = 1 } END { if (!found) print 0 }' "/proc/$1/status" 2>/dev/null || echo 0
}

# --- tools -----------------------------------------------------------------------------------------------------

# Install the Debian packages the suite needs, when one of their commands is missing.
ensure_tools() {
    local missing=()
    command -v nginx >/dev/null || missing+=(nginx)
    command -v wrk >/dev/null || missing+=(wrk)
    [ -f /usr/lib/nginx/modules/ngx_http_echo_module.so ] || missing+=(libnginx-mod-http-echo)
    command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
    command -v curl >/dev/null || missing+=(curl)
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        die "missing ${missing[*]}: install them (apt-get install -y ${missing[*]}) or run as root"
    fi
    export DEBIAN_FRONTEND=noninteractive
    # The package lists may be missing or stale on a fresh machine: update them when the first try fails.
    apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null; }
    # Debian's package starts a system nginx on port 80; the suite runs its own instances only.
    if [[ " ${missing[*]} " == *" nginx "* ]] && [ -f /run/nginx.pid ]; then
        nginx -s quit 2>/dev/null || true
    fi
}

# Sets GATEWAY_JAR: the given jar, or this repository's packaged one (built when absent).
resolve_jar() {
    if [ -n "${GATEWAY_JAR:-}" ]; then
        [ -f "$GATEWAY_JAR" ] || die "GATEWAY_JAR=$GATEWAY_JAR does not exist"
    else
        GATEWAY_JAR=$(ls "$REPO_DIR"/target/mas-push-gateway-*.jar 2>/dev/null | grep -v '\.original$' | head -n 1 ||
            true)
        if [ -z "$GATEWAY_JAR" ]; then
            log "building the gateway jar"
            (cd "$REPO_DIR" && ./mvnw -B -q -DskipTests package)
            GATEWAY_JAR=$(ls "$REPO_DIR"/target/mas-push-gateway-*.jar | grep -v '\.original$' | head -n 1)
        fi
    fi
    GATEWAY_JAR=$(cd "$(dirname "$GATEWAY_JAR")" && pwd)/$(basename "$GATEWAY_JAR")
    export GATEWAY_JAR
}

# jar_libs: the H2 and PostgreSQL drivers and the migrations out of the gateway jar, for RawInsert.
# Sets JDBC_CP and MIGRATIONS.
jar_libs() {
    local dir="$WORK/jar-libs"
    mkdir -p "$dir"
    (cd "$dir" && unzip -q -o "$GATEWAY_JAR" 'BOOT-INF/lib/h2-*.jar' 'BOOT-INF/lib/postgresql-*.jar' \
        'BOOT-INF/classes/db/migration/*')
    JDBC_CP=$(ls "$dir"/BOOT-INF/lib/*.jar | paste -sd:)
    MIGRATIONS="$dir/BOOT-INF/classes/db/migration"
}

# --- nginx -----------------------------------------------------------------------------------------------------

# nginx_conf DIR PORT LOCATION_BODY [HTTP_EXTRA]: a private nginx configuration with one server on PORT whose
# location $PUSH_PATH (and / for the proxy) does LOCATION_BODY.
nginx_conf() {
    local dir="$1" port="$2" body="$3" extra="${4:-}"
    mkdir -p "$dir/tmp"
    cat >"$dir/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_requests 10000000;
    keepalive_timeout 300s;
    default_type application/json;
    $extra
    server {
        listen 127.0.0.1:$port backlog=4096;
        location / {
            $body
        }
    }
}
EOF
}

# nginx_start NAME PORT LOCATION_BODY [HTTP_EXTRA]: start a private nginx; sets NGINX_PID.
nginx_start() {
    local name="$1" port="$2" dir="$WORK/nginx-$1"
    nginx_conf "$dir" "$port" "$3" "${4:-}"
    nginx -p "$dir" -c "$dir/nginx.conf" -t >"$dir/test.log" 2>&1 || { cat "$dir/test.log" >&2; die "nginx $name"; }
    nginx -p "$dir" -c "$dir/nginx.conf" >>"$dir/error.log" 2>&1 &
    NGINX_PID=$!
    BENCH_PIDS+=("$NGINX_PID")
    wait_until 10 "nginx $name listening on $port" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
}

# nginx_switch NAME PORT LOCATION_BODY PID: give a running nginx a new configuration (SIGHUP: new workers take
# new connections, old workers finish theirs).
nginx_switch() {
    local name="$1" port="$2" pid="$4" dir="$WORK/nginx-$1"
    nginx_conf "$dir" "$port" "$3"
    kill -HUP "$pid"
}

STUB_OK="return 200 '{}';"
# nginx's own code for "close the connection without an answer".
STUB_RESET="return 444;"

# --- the gateway -----------------------------------------------------------------------------------------------

# gateway_start NAME UPSTREAM_PORT [ARGS...]: start a gateway against the stub on UPSTREAM_PORT, on H2 under its
# own data directory unless ARGS name another datasource. GW_JAVA (default $JAVA) runs it with GW_JVM_OPTS (array)
# and GW_JAR (default $GATEWAY_JAR). Sets GW_PID, GW_PORT, GW_MGMT, GW_LOG, GW_START_MS; does not wait for ready.
gateway_start() {
    local name="$1" upstream="$2" java_bin="${GW_JAVA:-$JAVA}" jvm=("${JVM_OPTS[@]}" "${GATEWAY_OPTS[@]}") sha
    shift 2
    GW_PORT=$(free_port)
    GW_MGMT=$(free_port)
    GW_DIR="$WORK/gw-$name"
    GW_LOG="$GW_DIR/gateway.log"
    mkdir -p "$GW_DIR"
    sha=$(printf %s "$BENCH_TOKEN" | sha256sum | cut -d' ' -f1)
    [ -n "${GW_JVM_OPTS+x}" ] && jvm+=("${GW_JVM_OPTS[@]}")
    GW_START_MS=$(now_ms)
    MALLOC_ARENA_MAX=2 "$java_bin" "${jvm[@]}" -jar "${GW_JAR:-$GATEWAY_JAR}" \
        --server.address=127.0.0.1 --server.port="$GW_PORT" \
        --management.server.address=127.0.0.1 --management.server.port="$GW_MGMT" \
        --gateway.data-dir="${GW_DATA_DIR:-$GW_DIR/data}" \
        --gateway.push.url="http://127.0.0.1:$upstream$PUSH_PATH" --gateway.push.allow-insecure-url=true \
        --gateway.push.api-key="$BENCH_API_KEY" \
        --gateway.clients[0].id=bench --gateway.clients[0].token-sha256="$sha" \
        --gateway.clients[0].roles=SEND,RELAY \
        --gateway.security.rate-limit.requests-per-second=1000000 --gateway.security.rate-limit.burst=1000000 \
        --gateway.delivery.max-queued=10000000 \
        "$@" >"$GW_LOG" 2>&1 &
    GW_PID=$!
    BENCH_PIDS+=("$GW_PID")
}

# gateway_ready [SECONDS]: wait for readiness (polled every 20 ms); sets GW_READY_MS, the time since the start.
# Until the management port accepts connections, bash's own /dev/tcp checks it: starting curl 50 times a second took
# enough of the two cores to slow the start it measured by about a second.
gateway_ready() {
    local limit="${1:-90}" deadline
    deadline=$(($(now_ms) + limit * 1000))
    until port_open "$GW_MGMT" && [ "$(http_status "http://127.0.0.1:$GW_MGMT/actuator/health/readiness")" = 200 ]; do
        if ! kill -0 "$GW_PID" 2>/dev/null; then
            tail -n 30 "$GW_LOG" >&2
            die "gateway exited during startup"
        fi
        [ "$(now_ms)" -lt "$deadline" ] || { tail -n 30 "$GW_LOG" >&2; die "gateway not ready within $limit s"; }
        sleep 0.02
    done
    GW_READY_MS=$(($(now_ms) - GW_START_MS))
}

gateway_stop() { stop_pid "$GW_PID" 40; }

# metric NAME [REGEX]: the sum of a Prometheus series of the running gateway over the lines that match REGEX.
metric() {
    curl -s -m 10 "http://127.0.0.1:$GW_MGMT/actuator/prometheus" |
        awk -v name="$1" -v re="${2:-}" '
            index($0, name "{") == 1 || index($0, name " ") == 1 { if (re == "" || $0 ~ re) sum += $NF }
            END { printf "%d\n", sum }'
}

delivered() { metric push_notifications_completed_total 'status="delivered"'; }

# jfr_start / jfr_stop NAME: with BENCH_JFR=1, a JFR recording (profile settings) of the running gateway between
# the two, written to BENCH_OUT/jfr/<scenario>-NAME.jfr with a summary in .txt beside it.
jfr_start() {
    [ "${BENCH_JFR:-0}" = 1 ] || return 0
    "$(dirname "$JAVA")/jcmd" "$GW_PID" JFR.start name=bench settings=profile >/dev/null
}

jfr_stop() {
    [ "${BENCH_JFR:-0}" = 1 ] || return 0
    local file="$BENCH_OUT/jfr/$SCENARIO-$1.jfr"
    mkdir -p "$BENCH_OUT/jfr"
    "$(dirname "$JAVA")/jcmd" "$GW_PID" JFR.stop name=bench filename="$file" >/dev/null
    jfr_summary "$file" >"${file%.jfr}.txt"
}

# jfr_summary FILE: of the CPU samples (jdk.ExecutionSample), the share that falls in each of a few components
# (the nearest component frame to the top of the stack: "self" time), the share whose stack passes through each
# (inclusive), and the 25 most frequent top frames.
jfr_summary() {
    "$(dirname "$JAVA")/jfr" print --stack-depth 128 --events jdk.ExecutionSample "$1" | awk '
        function component(f) {
            if (f ~ /^org\.h2\./) return "H2"
            if (f ~ /^org\.postgresql\./) return "PostgreSQL driver"
            if (f ~ /^com\.zaxxer\.hikari\./) return "HikariCP"
            if (f ~ /^org\.springframework\.(jdbc|transaction)\./) return "Spring JDBC and transactions"
            if (f ~ /^jdk\.internal\.net\.http\./) return "JDK HttpClient"
            if (f ~ /^org\.apache\.(coyote|tomcat|catalina)\./) return "Tomcat"
            if (f ~ /^org\.springframework\.security\./) return "Spring Security"
            if (f ~ /^org\.springframework\.web\./) return "Spring MVC"
            if (f ~ /^com\.fasterxml\.jackson\./) return "Jackson"
            if (f ~ /^(ch\.qos\.logback|org\.slf4j)\./) return "logging"
            if (f ~ /^io\.micrometer\./) return "Micrometer"
            if (f ~ /^io\.github\.resilience4j\./) return "Resilience4j"
            if (f ~ /^(org\.hibernate\.validator|jakarta\.validation)\./) return "Bean Validation"
            if (f ~ /^io\.maspush\./) return "gateway code"
            if (f ~ /^(sun\.nio\.ch|java\.net|sun\.net)\./) return "socket I/O"
            return ""
        }
        function flush() {
            if (!in_stack) return
            samples++
            for (c in seen) inclusive[c]++
            self[owner == "" ? "JDK and other" : owner]++
            delete seen
            in_stack = 0
        }
        /stackTrace = \[/ { flush(); in_stack = 1; top = 1; owner = ""; next }
        in_stack && /^[[:space:]]*\]/ { flush(); next }
        in_stack {
            frame = $0
            sub(/^[ \t]+/, "", frame)
            sub(/[ \t]+line:.*/, "", frame)
            if (top) { tops[frame]++; top = 0 }
            c = component(frame)
            if (c != "") {
                seen[c] = 1
                if (owner == "") owner = c
            }
        }
        END {
            flush()
            printf "%d CPU samples\n\nself: the component nearest the top of the stack\n", samples
            for (c in self) printf "%6.1f%%  %s\n", 100 * self[c] / samples, c | "sort -rn"
            close("sort -rn")
            printf "\ninclusive: the stack passes through\n"
            for (c in inclusive) printf "%6.1f%%  %s\n", 100 * inclusive[c] / samples, c | "sort -rn"
            close("sort -rn")
            printf "\ntop frames:\n"
            for (f in tops) printf "%6.1f%%  %s\n", 100 * tops[f] / samples, f | "sort -rn | head -n 25"
        }'
}

# log_ms LINE: the epoch milliseconds of a gateway log line (Spring Boot's ISO-8601 timestamp comes first).
log_ms() { date -d "$(printf '%s' "$1" | awk '{ print $1 }')" +%s%3N; }

# --- load generators -------------------------------------------------------------------------------------------

# java_tool NAME ARGS...: run bench/NAME.java. It is compiled once into BENCH_OUT (saving the second or two that
# source-file mode spends compiling at every launch); with no javac beside $JAVA it runs in source-file mode.
# TOOL_CP is its class path (JDBC drivers).
java_tool() {
    local name="$1" classes="$BENCH_OUT/.classes" javac
    shift
    javac="$(dirname "$JAVA")/javac"
    if [ ! -x "$javac" ]; then
        "$JAVA" "${JVM_OPTS[@]}" ${TOOL_CP:+-cp "$TOOL_CP"} "$BENCH_DIR/$name.java" "$@"
        return
    fi
    if [ ! -f "$classes/$name.class" ] || [ "$BENCH_DIR/$name.java" -nt "$classes/$name.class" ]; then
        "$javac" -nowarn -d "$classes" "$BENCH_DIR/$name.java" || return 1
    fi
    "$JAVA" "${JVM_OPTS[@]}" -cp "$classes${TOOL_CP:+:$TOOL_CP}" "$name" "$@"
}

# wrk_lua FILE BODYFILE HEADER...: a wrk script that POSTs BODYFILE with the given headers.
wrk_lua() {
    local file="$1" body header
    body=$(cat "$2")
    shift 2
    {
        echo 'wrk.method = "POST"'
        echo 'wrk.headers["Content-Type"] = "application/json"'
        for header in "$@"; do
            printf 'wrk.headers["%s"] = "%s"\n' "${header%%: *}" "${header#*: }"
        done
        printf 'wrk.body = [[%s]]\n' "$body"
    } >"$file"
}

# run_wrk PREFIX URL SECONDS CONNECTIONS LUA: run wrk (2 threads, latency distribution) and record PREFIX_rps,
# PREFIX_requests, PREFIX_non2xx, PREFIX_socket_errors and PREFIX_p50/p75/p90/p99 in ms. The full output is kept
# in the work directory.
run_wrk() {
    local prefix="$1" url="$2" seconds="$3" connections="$4" lua="$5" out="$WORK/wrk-$1.txt"
    local threads=2
    [ "$connections" -lt 2 ] && threads=1
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s --latency -s "$lua" "$url" >"$out" 2>&1 ||
        { cat "$out" >&2; die "wrk $prefix"; }
    awk -v p="$prefix" '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
            return v
        }
        /^Requests\/sec:/ { printf "%s_rps=%.0f\n", p, $2 }
        / requests in / { printf "%s_requests=%d\n", p, $1 }
        /Non-2xx or 3xx responses:/ { non2xx = $NF }
        /Socket errors:/ { gsub(/,/, ""); errors = $4 + $6 + $8 + $10 }
        $1 ~ /^(50|75|90|99)%$/ { sub(/%/, "", $1); printf "%s_p%s=%.3f\n", p, $1, ms($2) }
        END { printf "%s_non2xx=%d\n%s_socket_errors=%d\n", p, non2xx, p, errors }
    ' "$out" >>"$KV"
    [ -n "$(kv_get "$KV" "${prefix}_rps")" ] || { cat "$out" >&2; die "no numbers from wrk $prefix"; }
}

# rate_load PREFIX URL RATE SECONDS CONNECTIONS BODYFILE HEADER...: open-loop load at a fixed rate (RateLoad.java);
# records PREFIX_count, _errors_status, _errors_io, _rate, _p50, _p90, _p99, _p999, _max. Requests not sent
# RATE_GRACE seconds (default 10) after the schedule ended are given up (PREFIX_unsent).
rate_load() {
    local prefix="$1" url="$2" rate="$3" seconds="$4" connections="$5" body="$6" out="$WORK/rate-$1.txt" args=()
    shift 6
    local header
    for header in "$@"; do
        args+=("header=$header")
    done
    java_tool RateLoad url="$url" rate="$rate" duration="$seconds" connections="$connections" \
        grace="${RATE_GRACE:-10}" body="$body" "${args[@]}" >"$out" 2>&1 || { cat "$out" >&2; die "RateLoad $prefix"; }
    kv_prefixed "$prefix" "$out"
    [ -n "$(kv_get "$KV" "${prefix}_p99")" ] || { cat "$out" >&2; die "no numbers from RateLoad $prefix"; }
}

# --- PostgreSQL ------------------------------------------------------------------------------------------------

PSQL=(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
export PGCONNECT_TIMEOUT=5

# pg_fresh_db: create a database of its own (dropped on exit) and print its name.
pg_fresh_db() {
    local db
    db="bench_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
    "${PSQL[@]}" -d postgres -c "create database $db" >/dev/null || die "cannot create database $db"
    echo "$db"
}

pg_drop_db() { "${PSQL[@]}" -d postgres -c "drop database if exists $1 with (force)" >/dev/null 2>&1 || true; }

pg_available() { pg_isready -h "$PG_HOST" -p "$PG_PORT" -q 2>/dev/null; }

# --- backlog drain ---------------------------------------------------------------------------------------------

# sample_rss PID FILE: append the RSS (KiB) of PID to FILE every 200 ms until stopped; sets SAMPLER_PID.
sample_rss() {
    (while kill -0 "$1" 2>/dev/null; do rss_kb "$1" >>"$2"; sleep 0.2; done) &
    SAMPLER_PID=$!
    BENCH_PIDS+=("$SAMPLER_PID")
}

# drain_run PREFIX BACKLOG ANSWER: the backlog of a key rotation, drained. The stub answers 401 to any key but the
# new one and ANSWER (an nginx location body) to the new one. The gateway starts with the old key in a key file
# (re-read every 200 ms) and a pause probe of 1 h, so the first delivery attempt pauses the environment and every
# accepted notification stays queued. BACKLOG notifications are accepted; then the new key is written into the file,
# which resumes deliveries. Records (all under PREFIX_):
#   backlog, concurrency  what was queued; the bulkhead size the run uses
#   resume_ms             key written to the "resumed" log line (the refresh interval)
#   first_ms              "resumed" to the first "delivered" log line
#   drain_ms, rate        "resumed" to the last "delivered" log line, and the backlog per second over it
#   wall_ms, wall_rate    key written until the log's count of deliveries reached the backlog (polled every 100 ms)
#   cpu_s, cpu_ms_per_op  the gateway's CPU time from the key write until all was delivered, in all and per
#                         notification
#   rss_idle_kb, rss_peak_kb  RSS after startup; its peak, sampled every 200 ms during accept and drain
drain_run() {
    local prefix="$1" backlog="$2" answer="$3" stub_port new_key="bench-rotated-key" url limit
    stub_port=$(free_port)
    nginx_start "stub-$prefix" "$stub_port" \
        "if (\$http_x_api_key != \"$new_key\") { return 401 '{\"error\":\"key rejected\"}'; } $answer"
    printf %s "bench-old-key" >"$WORK/key-$prefix"
    gateway_start "$prefix" "$stub_port" --gateway.push.api-key-file="$WORK/key-$prefix" \
        --gateway.push-config.refresh-interval=200ms --gateway.delivery.pause-probe-interval=1h
    gateway_ready
    kv "${prefix}_rss_idle_kb" "$(rss_kb "$GW_PID")"
    url="http://127.0.0.1:$GW_PORT/api/v1/notifications"

    [ "$(post_status "$url" "Authorization: Bearer $BENCH_TOKEN" "$WORK/accept.json")" = 202 ] ||
        die "POST /api/v1/notifications does not answer 202"
    wait_until 20 "the pause after a rejected key" \
        bash -c "[ \"\$(curl -s http://127.0.0.1:$GW_MGMT/actuator/prometheus |
            grep '^push_delivery_paused{.*key_rejected' | awk '{ print \$NF }')\" = 1.0 ]"

    sample_rss "$GW_PID" "$WORK/rss-$prefix"
    log "accepting a backlog of $backlog"
    # As fast as 16 connections go: the rate only spaces the requests out; the backlog is what matters here.
    RATE_GRACE=600 rate_load "${prefix}_fill" "$url" 5000 "$(awk -v n="$backlog" 'BEGIN { print n / 5000 }')" 16 \
        "$WORK/accept.json" "Content-Type: application/json" "Authorization: Bearer $BENCH_TOKEN"
    [ "$(kv_get "$KV" "${prefix}_fill_ok")" = "$backlog" ] || die "only $(kv_get "$KV" "${prefix}_fill_ok") accepted"
    local queued
    queued=$(metric push_notifications_queued)
    [ "$queued" -eq $((backlog + 1)) ] || die "$queued queued instead of $((backlog + 1)): deliveries did not pause"
    [ "$(delivered)" -eq 0 ] || die "notifications were delivered before the key rotation"
    kv "${prefix}_backlog" "$queued"
    kv "${prefix}_concurrency" "$(metric resilience4j_bulkhead_max_allowed_concurrent_calls)"

    local key_ms done_ms cpu_before
    log "rotating the key; draining $queued"
    printf %s "$new_key" >"$WORK/key-$prefix.new"
    mv "$WORK/key-$prefix.new" "$WORK/key-$prefix"
    key_ms=$(now_ms)
    cpu_before=$(cpu_ms "$GW_PID")
    jfr_start
    limit=$((60 + queued / 50))
    # Counted in the log rather than through the metrics: a scrape would query the database during the drain.
    until [ "$(grep -c ' delivered in environment ' "$GW_LOG")" -ge "$queued" ]; do
        [ $(($(now_ms) - key_ms)) -lt $((limit * 1000)) ] || die "backlog not delivered within $limit s"
        sleep 0.1
    done
    done_ms=$(now_ms)
    kv_cpu "$prefix" "$cpu_before" "$queued"
    jfr_stop "$prefix"
    stop_pid "$SAMPLER_PID"
    [ "$(metric push_notifications_queued)" -eq 0 ] || die "notifications left queued after the drain"
    [ "$(delivered)" -eq "$queued" ] || die "$(delivered) delivered instead of $queued"

    local resumed first last resumed_ms last_ms
    resumed=$(grep -m 1 'Deliveries for environment default resumed' "$GW_LOG") || die "no resume in the log"
    first=$(grep -m 1 ' delivered in environment ' "$GW_LOG")
    last=$(grep ' delivered in environment ' "$GW_LOG" | tail -n 1)
    resumed_ms=$(log_ms "$resumed")
    last_ms=$(log_ms "$last")
    kv "${prefix}_resume_ms" $((resumed_ms - key_ms))
    kv "${prefix}_first_ms" $(($(log_ms "$first") - resumed_ms))
    kv "${prefix}_drain_ms" $((last_ms - resumed_ms))
    kv "${prefix}_rate" "$(awk -v n="$queued" -v ms=$((last_ms - resumed_ms)) 'BEGIN { printf "%.1f", n * 1000 / ms }')"
    kv "${prefix}_wall_ms" $((done_ms - key_ms))
    kv "${prefix}_wall_rate" \
        "$(awk -v n="$queued" -v ms=$((done_ms - key_ms)) 'BEGIN { printf "%.1f", n * 1000 / ms }')"
    kv "${prefix}_rss_peak_kb" "$(sort -n "$WORK/rss-$prefix" | tail -n 1)"
    kv "${prefix}_attempts" "$(metric push_delivery_attempts_total)"
    gateway_stop
}
