#!/usr/bin/env bash
# Outage: accept latency at a fixed rate while the upstream closes every connection without an answer (nginx
# "return 444"), so deliveries fail with I/O errors and the circuit breaker opens, against the accept latency of the
# same gateway at the same rate with a healthy upstream just before. The rate is half of the accept maximum that a
# short wrk run (which also warms the gateway up) measures first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init outage
resolve_jar

seconds=$(smoke_or 12 1)
probe_seconds=$(smoke_or 5 1)
connections=${ACCEPT_CONNECTIONS:-16}
rate_connections=${RATE_CONNECTIONS:-64}

stub_port=$(free_port)
nginx_start stub "$stub_port" "$STUB_OK"
stub_pid=$NGINX_PID
gateway_start outage "$stub_port"
gateway_ready
url="http://127.0.0.1:$GW_PORT/api/v1/notifications"
auth="Authorization: Bearer $BENCH_TOKEN"
wrk_lua "$WORK/accept.lua" "$WORK/accept.json" "$auth"
run_wrk max "$url" "$probe_seconds" "$connections" "$WORK/accept.lua"
rate=$(($(kv_get "$KV" max_rps) / 2))
[ "$rate" -ge 1 ] || die "the gateway accepted nothing"
kv rate "$rate"

log "healthy upstream: accepts at $rate/s for $seconds s"
rate_load healthy "$url" "$rate" "$seconds" "$rate_connections" "$WORK/accept.json" \
    "Content-Type: application/json" "$auth"

log "upstream closing every connection: accepts at $rate/s for $seconds s"
nginx_switch stub "$stub_port" "$STUB_RESET" "$stub_pid"
wait_until 10 "the stub closing connections" status_is "http://127.0.0.1:$stub_port$PUSH_PATH" 000
failed_before=$(metric push_delivery_attempts_total 'outcome="io_error"')
rate_load outage "$url" "$rate" "$seconds" "$rate_connections" "$WORK/accept.json" \
    "Content-Type: application/json" "$auth"
kv outage_io_errors $(($(metric push_delivery_attempts_total 'outcome="io_error"') - failed_before))
kv outage_circuit_open_refusals "$(metric push_delivery_attempts_total 'outcome="circuit_open"')"
kv outage_circuit_open "$(metric resilience4j_circuitbreaker_state 'state="open"')"
kv p99_ratio "$(awk -v o="$(kv_get "$KV" outage_p99)" -v h="$(kv_get "$KV" healthy_p99)" \
    'BEGIN { printf "%.3f", o / h }')"
gateway_stop
log "done: p99 $(kv_get "$KV" healthy_p99) ms healthy, $(kv_get "$KV" outage_p99) ms in the outage"
