#!/usr/bin/env bash
# Checks the observability assets against a running gateway:
#   1. promtool check rules and promtool test rules on observability/prometheus/;
#   2. starts the packaged gateway in the sandbox profile, scrapes /actuator/prometheus once and runs
#      promtool check metrics on it;
#   3. starts Prometheus (its own temporary configuration and storage) scraping the gateway every second with the
#      alert rules loaded, sends notifications that are delivered, rejected (400), retried until the circuit opens
#      (503) and held by a rejected key (401), checks that every rule evaluates, and runs every query of the Grafana
#      dashboard, asserting that each returns data.
# Installs Debian's prometheus package (and jq) when promtool, prometheus or jq are missing (needs root). Uses
# $JAVA (default: java on the PATH) and the jar of ./mvnw package, building it when missing. Listens on 127.0.0.1
# only and stops everything it started on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

dashboard=observability/grafana/mas-push-gateway.json
rules=observability/prometheus/alerts.yml
rule_tests=observability/prometheus/alerts-test.yml
java_bin="${JAVA:-java}"
started_at=$(date +%s)
# the checks after the installation must be done within this many seconds
budget=120

work=$(mktemp -d)
gateway_pid=""
prometheus_pid=""
policy_created=""
passed=0
failed=0

stop() {
    local pid="$1"
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    stop "$prometheus_pid"
    stop "$gateway_pid"
    if [ -n "$policy_created" ]; then
        rm -f /usr/sbin/policy-rc.d
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() {
    passed=$((passed + 1))
    printf 'ok    %s\n' "$*"
}

fail() {
    failed=$((failed + 1))
    printf 'FAIL  %s\n' "$*"
}

seconds_left() {
    echo $((deadline - $(date +%s)))
}

# --- tools --------------------------------------------------------------------------------------------------------

missing=()
if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
    missing+=(prometheus)
fi
command -v jq >/dev/null 2>&1 || missing+=(jq)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "promtool, prometheus or jq missing; run as root to install ${missing[*]} with apt-get" >&2
        exit 1
    fi
    echo "installing ${missing[*]}"
    before=$(pgrep -x prometheus || true)
    # Debian's way of keeping a package's service from starting: this script runs Prometheus itself.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        policy_created=1
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ -n "$policy_created" ]; then
        rm -f /usr/sbin/policy-rc.d
        policy_created=""
    fi
    # should the package have started its service anyway, stop exactly what it started
    for pid in $(pgrep -x prometheus || true); do
        if ! grep -qx "$pid" <<<"$before"; then
            echo "stopping the prometheus service the package started (pid $pid)"
            stop "$pid"
        fi
    done
fi
deadline=$(($(date +%s) + budget))

# --- rules ------------------------------------------------------------------------------------------------------------

if out=$(promtool check rules "$rules" 2>&1); then
    pass "promtool check rules: $(grep -o '[0-9]* rules found' <<<"$out")"
else
    echo "$out"
    fail "promtool check rules"
fi
if out=$(cd "$(dirname "$rule_tests")" && promtool test rules "$(basename "$rule_tests")" 2>&1); then
    pass "promtool test rules: $(grep -c 'eval_time:' "$rule_tests") evaluations"
else
    echo "$out"
    fail "promtool test rules"
fi

# --- the gateway ------------------------------------------------------------------------------------------------------

# Ports below Linux's default range for client sockets (32768 and up), so that no connection's own end holds one.
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 12000))
        case " $* " in *" $port "*) continue ;; esac
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}
api_port=$(free_port)
management_port=$(free_port "$api_port")
prometheus_port=$(free_port "$api_port" "$management_port")
api="http://127.0.0.1:$api_port"
management="http://127.0.0.1:$management_port"
prometheus="http://127.0.0.1:$prometheus_port"

jar=$(ls target/mas-push-gateway-*.jar 2>/dev/null | grep -v original | head -n 1 || true)
if [ -z "$jar" ]; then
    echo "no packaged gateway in target/: building it"
    ./mvnw -q -B -DskipTests package
    jar=$(ls target/mas-push-gateway-*.jar | grep -v original | head -n 1)
    deadline=$(($(date +%s) + budget))
fi

# Short backoffs, pause probes and open-circuit waits, so that retries, a lifted pause and a circuit that opens and
# closes again all happen within seconds.
"$java_bin" -jar "$jar" --spring.profiles.active=sandbox \
    --server.address=127.0.0.1 --server.port="$api_port" \
    --management.server.address=127.0.0.1 --management.server.port="$management_port" \
    --gateway.data-dir="$work/data" \
    --gateway.push.url="$api/sandbox/pushnotification/sendMessage" \
    --gateway.delivery.initial-backoff=100ms --gateway.delivery.max-backoff=1s \
    --gateway.delivery.pause-probe-interval=2s \
    --resilience4j.circuitbreaker.configs.push.wait-duration-in-open-state=3s \
    >"$work/gateway.log" 2>&1 &
gateway_pid=$!

cat >"$work/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $PWD/$rules
scrape_configs:
  - job_name: mas-push-gateway
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: ["127.0.0.1:$management_port"]
EOF
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$prometheus_port" --log.level=warn >"$work/prometheus.log" 2>&1 &
prometheus_pid=$!

while ! grep -q "Sandbox ready" "$work/gateway.log"; do
    kill -0 "$gateway_pid" 2>/dev/null || { cat "$work/gateway.log"; echo "gateway exited during startup"; exit 1; }
    [ "$(seconds_left)" -gt 0 ] || { cat "$work/gateway.log"; echo "gateway not ready in time"; exit 1; }
    sleep 0.5
done
token=$(grep -o 'token: sandbox-[A-Za-z0-9_-]*' "$work/gateway.log" | head -n 1 | cut -d' ' -f2)
[ -n "$token" ] || { cat "$work/gateway.log"; echo "no demo token printed"; exit 1; }
until curl -fsS -o /dev/null "$prometheus/-/ready" 2>/dev/null; do
    kill -0 "$prometheus_pid" 2>/dev/null || { cat "$work/prometheus.log"; echo "prometheus exited"; exit 1; }
    [ "$(seconds_left)" -gt 0 ] || { cat "$work/prometheus.log"; echo "prometheus not ready in time"; exit 1; }
    sleep 0.2
done

# --- one scrape through promtool ---------------------------------------------------------------------------------

curl -fsS "$management/actuator/prometheus" >"$work/scrape.txt"
set +e
promtool check metrics <"$work/scrape.txt" >"$work/lint.txt" 2>&1
lint_status=$?
set -e
# Exit status 3 means lint findings only; anything else but 0 means the exposition could not be parsed.
if [ "$lint_status" != 0 ] && [ "$lint_status" != 3 ]; then
    cat "$work/lint.txt"
    fail "promtool check metrics: the scrape does not parse (exit $lint_status)"
else
    # The gateway's own metrics (push_*) and the resilience4j ones the dashboard uses must lint clean; findings on
    # the framework's meters (Spring, Tomcat, JVM) are listed for information.
    own=$(grep -E '^(push_|resilience4j_)' "$work/lint.txt" || true)
    other=$(grep -vE '^(push_|resilience4j_)' "$work/lint.txt" | grep -v '^$' || true)
    if [ -n "$own" ]; then
        echo "$own" | sed 's/^/      /'
        fail "promtool check metrics: findings on the gateway's own metrics"
    else
        pass "promtool check metrics: $(grep -c '^# TYPE' "$work/scrape.txt") families parse; none of push_* or" \
            "resilience4j_* has a lint finding"
    fi
    if [ -n "$other" ]; then
        echo "      $(grep -c '' <<<"$other") lint findings on framework meters, not used by the dashboard or alerts:"
        grep -v 'no help text' <<<"$other" | sed 's/^/        /' || true
        echo "        and $(grep -c 'no help text' <<<"$other" || true) meters without help text" \
            "(Spring's observation meters)"
    fi
fi

# --- traffic ------------------------------------------------------------------------------------------------------

ids=()
send() {
    local body="$1" answer
    answer=$(curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" \
        "$api/api/v1/notifications")
    ids+=("$(jq -r .id <<<"$answer")")
}
behave() {
    curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/json' -d "$1" "$api/sandbox/behaviour"
}
status_of() {
    curl -fsS -H "Authorization: Bearer $token" "$api/api/v1/notifications/$1" | jq -r .status
}
settle() {
    local id
    for id in "${ids[@]}"; do
        while [ "$(status_of "$id")" = QUEUED ]; do
            [ "$(seconds_left)" -gt 20 ] || return 1
            sleep 0.2
        done
    done
}
message() {
    printf '{"recipients":["WILSON"],"title":"Work order %s assigned","body":"Pump P-100 leaks"%s}' "$1" "${2:-}"
}

for n in 1 2 3 4 5; do
    send "$(message "10$n" ',"category":"ASSIGNMENT"')"
done
settle || fail "traffic: first notifications still queued"
behave '{"status":400,"seconds":2}'
send "$(message 201 ',"ttl":"PT1M"')"
send "$(message 202)"
settle || fail "traffic: rejected notifications still queued"
behave '{"status":503,"seconds":3}'
for n in 1 2 3 4 5; do
    send "$(message "30$n" ',"ttl":"PT1M"')"
done
settle || fail "traffic: retried notifications still queued"
behave '{"status":401,"seconds":3}'
send "$(message 401)"
send "$(message 402)"
settle || fail "traffic: notifications held by the rejected key still queued"
for n in 1 2 3; do
    send "$(message "50$n")"
done
settle || fail "traffic: last notifications still queued"

# --- Prometheus -----------------------------------------------------------------------------------------------------

query() {
    curl -sS -G --data-urlencode "query=$1" "$prometheus/api/v1/query"
}
# at least 20 successful scrapes, and two after the last delivery
sleep 2
until [ "$(query 'sum_over_time(up{job="mas-push-gateway"}[1m])' | jq -r '.data.result[0].value[1] // 0')" \
    -ge 20 ]; do
    [ "$(seconds_left)" -gt 5 ] || break
    sleep 1
done

check() {
    local label="$1" expression="$2" answer series value
    if ! answer=$(query "$expression" 2>&1) || [ "$(jq -r .status <<<"$answer" 2>/dev/null)" != success ]; then
        fail "$label: $expression: $(jq -r '.error // empty' <<<"$answer" 2>/dev/null || echo "$answer")"
        return
    fi
    series=$(jq -r '.data.result | length' <<<"$answer")
    value=$(jq -r '.data.result[0].value[1] // ""' <<<"$answer")
    if [ "$series" -gt 0 ]; then
        pass "$label: $series series, first $value: $expression"
    else
        fail "$label: no data: $expression"
    fi
}

# The traffic did what it was meant to: deliveries, a rejection, retries, a key-rejected pause.
check "traffic" 'push_notifications_completed_total{status="delivered"} > 0'
check "traffic" 'push_notifications_completed_total{status="failed", reason="rejected"} > 0'
check "traffic" 'push_delivery_attempts_total{outcome="retryable"} > 0'
check "traffic" 'push_delivery_attempts_total{outcome="auth_rejected"} > 0'
check "traffic" 'max_over_time(push_delivery_paused{reason="key_rejected"}[1m]) == 1'
check "traffic" 'max_over_time(resilience4j_circuitbreaker_state{state="open"}[1m]) == 1'

# Every alert rule evaluates without an error against the live data.
rules_answer=$(curl -fsS "$prometheus/api/v1/rules")
while IFS=$'\t' read -r name health error; do
    if [ "$health" = ok ]; then
        pass "rule $name evaluates"
    else
        fail "rule $name: $health $error"
    fi
done < <(jq -r '.data.groups[].rules[] | [.name, .health, (.lastError // "")] | @tsv' <<<"$rules_answer")
[ "$(jq '[.data.groups[].rules[]] | length' <<<"$rules_answer")" -gt 0 ] || fail "no alert rules loaded"

# Every query of the dashboard, with Grafana's variables as Grafana would fill them in, and the environment
# variable's own query (label_values(metric, label) asks for metric).
count=0
while IFS=$'\t' read -r where expression; do
    expression=$(sed -E -e 's/\$\{?environment\}?/.*/g' \
        -e 's/\$\{?__(rate_interval|interval|range)\}?/1m/g' <<<"$expression")
    check "$where" "$expression"
    count=$((count + 1))
done < <(jq -r '
    (.. | objects | select(has("targets")) | . as $panel | .targets[] | select(.expr != null)
        | ["panel \"\($panel.title)\" \(.refId)", (.expr | gsub("\n"; " "))]),
    (.templating.list[] | select(.type == "query")
        | ["variable \(.name)", ((.query.query? // .query) | capture("^label_values\\((?<m>.*),\\s*\\w+\\)$").m)])
    | @tsv' "$dashboard")
[ "$count" -gt 0 ] || fail "no queries found in $dashboard"

echo "observability check: $passed passed, $failed failed in $(($(date +%s) - started_at))s"
[ "$failed" -eq 0 ]
