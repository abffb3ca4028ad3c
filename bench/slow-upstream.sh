#!/usr/bin/env bash
# Slow upstream: the drain of delivery-drain against a stub that answers after 200 ms (nginx echo module), so the
# rate is bounded by the bulkhead: at most max-concurrent-calls in flight, each 0.2 s, gives the Little's law
# reference of max-concurrent-calls / 0.2 s, with the bulkhead size read from the running gateway's metrics.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init slow-upstream
resolve_jar

delay=0.2
kv delay_s "$delay"
drain_run slow "${SLOW_BACKLOG:-$(smoke_or 4000 300)}" "echo_sleep $delay; echo '{}';"
kv little_rate "$(awk -v c="$(kv_get "$KV" slow_concurrency)" -v d="$delay" 'BEGIN { printf "%.1f", c / d }')"
log "done: $(kv_get "$KV" slow_rate)/s against Little's law $(kv_get "$KV" little_rate)/s"
