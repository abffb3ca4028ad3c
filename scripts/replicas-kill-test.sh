#!/usr/bin/env bash
# Two gateway replicas share one PostgreSQL database; one is killed with SIGKILL while it has deliveries in flight.
# Every notification must still end DELIVERED (the dead replica's claims lapse after claim-lease and the other takes
# them), and the push service may receive an id twice only if the killed replica had it claimed at the kill.
#
# Needs: a PostgreSQL server at 127.0.0.1:5432 that lets user postgres in without a password, psql, curl, a JDK
# ($JAVA, default java). Uses the packaged jar (built with ./mvnw -DskipTests package when missing). Everything
# listens on 127.0.0.1 only; the test gives up after TIME_LIMIT seconds (default 180, after the jar is built); its
# database, processes and temporary files are removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

java_bin="${JAVA:-java}"
total="${NOTIFICATIONS:-2000}"
delay_ms="${UPSTREAM_DELAY_MS:-400}"
time_limit="${TIME_LIMIT:-180}"
psql_base=(psql -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1 -qtA)
export PGCONNECT_TIMEOUT=5

jar=$(ls target/mas-push-gateway-*.jar 2>/dev/null | grep -v '\.original$' | head -n 1 || true)
if [ -z "$jar" ]; then
    ./mvnw -q -B -DskipTests package
    jar=$(ls target/mas-push-gateway-*.jar | grep -v '\.original$' | head -n 1)
fi

started=$(date +%s)
deadline=$((started + time_limit))
work=$(mktemp -d)
db="gw_replicas_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
pids=()

cleanup() {
    local pid i
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    # A gateway stops gracefully within a few seconds; after ten, the rest are killed.
    for ((i = 0; i < 20; i++)); do
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null && break
        done
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    for pid in "${pids[@]}"; do
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    "${psql_base[@]}" -d postgres -c "drop database if exists $db with (force)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

elapsed() { echo $(($(date +%s) - started)); }
remaining() { echo $((deadline - $(date +%s))); }
q() { "${psql_base[@]}" -d "$db" -c "$1"; }

# Ports below Linux's default range for client sockets (32768 and up), so that no connection's own end holds one.
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 12000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
}

wait_ready() {
    local port="$1" pid="$2" log="$3"
    until curl -fsS -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || { tail -n 40 "$log"; echo "gateway exited during startup"; exit 1; }
        [ "$(remaining)" -gt 0 ] || { tail -n 40 "$log"; echo "gateway not ready within the time limit"; exit 1; }
        sleep 0.5
    done
}

"${psql_base[@]}" -d postgres -c "create database $db" >/dev/null
echo "database $db created"

upstream_port=$(free_port)
upstream_log="$work/upstream-keys.log"
: >"$upstream_log"
"$java_bin" scripts/SlowUpstream.java "$upstream_port" "$delay_ms" "$upstream_log" >"$work/upstream.out" 2>&1 &
pids+=($!)

token="kill-test-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
token_sha256=$(printf %s "$token" | sha256sum | cut -d' ' -f1)

start_gateway() {
    local name="$1" port="$2" management="$3"
    "$java_bin" -jar "$jar" \
        --server.address=127.0.0.1 --server.port="$port" \
        --management.server.address=127.0.0.1 --management.server.port="$management" \
        --gateway.data-dir="$work/data-$name" \
        --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$db" --spring.datasource.username=postgres \
        --gateway.push.url="http://127.0.0.1:$upstream_port/send" --gateway.push.allow-insecure-url=true \
        --gateway.push.api-key=kill-test-api-key \
        --gateway.clients[0].id=loader --gateway.clients[0].token-sha256="$token_sha256" \
        --gateway.security.rate-limit.requests-per-second=100000 --gateway.security.rate-limit.burst=100000 \
        --gateway.delivery.claim-lease=10s --gateway.delivery.instance-id="$name" \
        >"$work/$name.log" 2>&1 &
    started_pid=$!
    pids+=("$started_pid")
}

port_a=$(free_port)
management_a=$(free_port)
port_b=$(free_port)
management_b=$(free_port)
# Not in a command substitution: its subshell would keep the process id from the cleanup's list.
start_gateway gw-a "$port_a" "$management_a"
pid_a=$started_pid
wait_ready "$management_a" "$pid_a" "$work/gw-a.log"
start_gateway gw-b "$port_b" "$management_b"
pid_b=$started_pid
wait_ready "$management_b" "$pid_b" "$work/gw-b.log"
echo "two gateways ready after $(elapsed) s (gw-a pid $pid_a on $port_a, gw-b pid $pid_b on $port_b);" \
    "stand-in push service on $upstream_port answering after $delay_ms ms"

body='{"recipients":["KILLTEST"],"title":"Replica kill test","body":"Delivered at least once"}'
printf '%s' "$body" >"$work/body.json"
# One curl per gateway sends its share, 8 requests at a time (curl --parallel); a process per request would cost more
# than the gateways on a small machine.
send_to() {
    local port="$1" count="$2" i
    for ((i = 0; i < count; i++)); do
        printf 'url = "http://127.0.0.1:%s/api/v1/notifications"\noutput = "/dev/null"\n' "$port"
    done >"$work/urls-$port"
    curl -sS --no-progress-meter --parallel --parallel-max 8 --max-time 60 -w '%{http_code}\n' \
        -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d @"$work/body.json" \
        -K "$work/urls-$port" >"$work/codes-$port" 2>"$work/curl-$port.err" || true
}
send_to "$port_a" $((total / 2)) &
sender_a=$!
send_to "$port_b" $((total - total / 2)) &
sender_b=$!
wait "$sender_a" "$sender_b"
accepted=$(cat "$work/codes-$port_a" "$work/codes-$port_b" | grep -c '^202$' || true)
echo "$accepted of $total notifications accepted after $(elapsed) s"
if [ "$accepted" -ne "$total" ]; then
    sort "$work/codes-$port_a" "$work/codes-$port_b" | uniq -c
    head -n 5 "$work/curl-$port_a.err" "$work/curl-$port_b.err"
fi

# Kill gw-a once a quarter of the backlog is delivered, while it has deliveries in flight.
until [ "$(q "select count(*) from notification where status = 'DELIVERED'")" -ge $((total / 4)) ]; do
    [ "$(remaining)" -gt 0 ] || { echo "a quarter of the backlog was not delivered within the time limit"; exit 1; }
    sleep 0.2
done
in_flight_query="select count(*) from notification where lease_owner = 'gw-a' and status = 'QUEUED'"
in_flight_before=$(q "$in_flight_query")
kill -9 "$pid_a"
wait "$pid_a" 2>/dev/null || true
killed_at=$(elapsed)
delivered_at_kill=$(q "select count(*) from notification where status = 'DELIVERED'")
backlog_at_kill=$((total - delivered_at_kill))
# The dead process's claims can no longer change: these rows are exactly what it left in flight.
q "select id from notification where lease_owner = 'gw-a' and status = 'QUEUED' order by id" >"$work/abandoned"
in_flight=$(grep -c . "$work/abandoned" || true)
echo "gw-a killed with SIGKILL at $killed_at s: $delivered_at_kill delivered by then ($backlog_at_kill to go)," \
    "$in_flight_before leased by gw-a just before the kill, $in_flight left leased by it after"

while :; do
    undelivered=$(q "select count(*) from notification where status <> 'DELIVERED'")
    [ "$undelivered" -eq 0 ] && break
    [ "$(remaining)" -gt 0 ] || break
    sleep 1
done
finished_at=$(elapsed)

echo "status after $finished_at s:"
q "select status, count(*) from notification group by status order by status" | sed 's/^/  /'
stored=$(q "select count(*) from notification")
delivered=$(q "select count(*) from notification where status = 'DELIVERED'")
sort "$upstream_log" | uniq -d >"$work/duplicates"
duplicates=$(grep -c . "$work/duplicates" || true)
received=$(grep -c . "$upstream_log" || true)
distinct=$(sort -u "$upstream_log" | grep -c . || true)
stray_duplicates=$(comm -23 "$work/duplicates" "$work/abandoned" | grep -c . || true)

passed=0
failed=0
check() {
    if [ "$2" = true ]; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAILED: $1"; fi
}
is() { if eval "$1"; then echo true; else echo false; fi; }

check "all $total notifications accepted (accepted $accepted, stored $stored)" \
    "$(is "[ $accepted -eq $total ] && [ $stored -eq $total ]")"
check "the kill hit deliveries in flight ($in_flight)" "$(is "[ $in_flight -gt 0 ]")"
check "every notification DELIVERED within ${time_limit} s ($delivered of $stored after $finished_at s)" \
    "$(is "[ $delivered -eq $stored ] && [ $stored -gt 0 ]")"
check "the push service received every notification ($distinct distinct ids in $received requests)" \
    "$(is "[ $distinct -eq $stored ]")"
check "duplicates delivered upstream ($duplicates) do not exceed those in flight at the kill ($in_flight)" \
    "$(is "[ $duplicates -le $in_flight ]")"
check "every duplicate was in flight at gw-a when it was killed ($stray_duplicates were not)" \
    "$(is "[ $stray_duplicates -eq 0 ]")"

echo "total $total, delivered $delivered, duplicates delivered upstream $duplicates, in flight at the kill" \
    "$in_flight (leased by gw-a just before: $in_flight_before), took $finished_at s"
echo "replicas kill test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
