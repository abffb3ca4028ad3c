#!/usr/bin/env bash
# Relay hop: the relay endpoint in sync mode in front of an nginx stub, against nginx's own keep-alive proxy_pass
# to the same stub. First the maximum throughput of each (wrk, closed loop), then latency at a fixed rate, half of
# the relay's maximum (RateLoad, open loop), of the stub called directly, through nginx and through the relay.
# The relay's added p99 is its p99 minus the direct call's p99 at that rate.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init relay-hop
resolve_jar

connections=${RELAY_CONNECTIONS:-32}
rate_connections=${RATE_CONNECTIONS:-64}
seconds=$(smoke_or 12 1)
warmup=$(smoke_or 5 1)
rate_seconds=$(smoke_or 10 1)

stub_port=$(free_port)
proxy_port=$(free_port)
nginx_start stub "$stub_port" "$STUB_OK"
nginx_start proxy "$proxy_port" 'proxy_pass http://stub; proxy_http_version 1.1; proxy_set_header Connection "";' \
    "upstream stub { server 127.0.0.1:$stub_port; keepalive 64; keepalive_requests 10000000; }"
gateway_start relay "$stub_port"
gateway_ready
kv connections "$connections"
kv rate_connections "$rate_connections"

relay_url="http://127.0.0.1:$GW_PORT$PUSH_PATH"
key_header="X-API-Key: $BENCH_TOKEN"
[ "$(post_status "$relay_url" "$key_header" "$WORK/relay.json")" = 200 ] || die "the relay does not answer 200"
wrk_lua "$WORK/relay.lua" "$WORK/relay.json" "$key_header"

run_wrk stub "http://127.0.0.1:$stub_port$PUSH_PATH" "$seconds" "$connections" "$WORK/relay.lua"
run_wrk nginx "http://127.0.0.1:$proxy_port$PUSH_PATH" "$seconds" "$connections" "$WORK/relay.lua"
log "warming the gateway up for $warmup s"
run_wrk warmup "$relay_url" "$warmup" "$connections" "$WORK/relay.lua"
cpu_before=$(cpu_ms "$GW_PID")
jfr_start
run_wrk relay "$relay_url" "$seconds" "$connections" "$WORK/relay.lua"
kv_cpu relay "$cpu_before" "$(kv_get "$KV" relay_requests)"
jfr_stop relay

relay_rps=$(kv_get "$KV" relay_rps)
rate=$((relay_rps / 2))
[ "$rate" -ge 1 ] || die "the relay managed no throughput"
kv rate "$rate"
log "open-loop latency at $rate/s (half of the relay's $relay_rps/s)"
for target in direct nginx relay; do
    case $target in
        direct) url="http://127.0.0.1:$stub_port$PUSH_PATH" ;;
        nginx) url="http://127.0.0.1:$proxy_port$PUSH_PATH" ;;
        relay) url=$relay_url ;;
    esac
    rate_load "fixed_$target" "$url" "$rate" "$rate_seconds" "$rate_connections" "$WORK/relay.json" \
        "Content-Type: application/json" "$key_header"
done
kv added_p99 "$(awk -v r="$(kv_get "$KV" fixed_relay_p99)" -v d="$(kv_get "$KV" fixed_direct_p99)" \
    'BEGIN { printf "%.3f", r - d }')"
kv relay_upstream_calls "$(metric push_upstream_requests_seconds_count 'api="relay"')"
gateway_stop
log "done: relay $relay_rps/s, nginx $(kv_get "$KV" nginx_rps)/s, added p99 $(kv_get "$KV" added_p99) ms"
