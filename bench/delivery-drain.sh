#!/usr/bin/env bash
# Delivery drain: how fast the gateway delivers a backlog of 20,000 queued notifications (2,000 in smoke mode) to an
# upstream stub that answers 200 at once. The backlog is built the way it builds in production when an API key is
# rotated late: the old key is rejected, deliveries pause, notifications queue; the new key in the key file resumes
# them (see drain_run in lib.sh). The reference, the accept rate, comes from durable-accept.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init delivery-drain
resolve_jar

drain_run drain "${DRAIN_BACKLOG:-$(smoke_or 20000 2000)}" "$STUB_OK"
log "done: $(kv_get "$KV" drain_backlog) delivered at $(kv_get "$KV" drain_rate)/s"
