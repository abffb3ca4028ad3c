#!/usr/bin/env bash
# Durable accept: POST /api/v1/notifications answered 202 (committed before the answer) with the upstream stub
# answering 200 at once, so every accepted notification is also delivered during the run. The reference is
# RawInsert.java: the same row inserted with plain JDBC, one autocommit insert per row, from as many threads as wrk
# has connections. Both on H2 (a file database of its own) and on PostgreSQL (fresh databases, dropped afterwards).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init durable-accept
resolve_jar
jar_libs
pg_available || die "no PostgreSQL server at $PG_HOST:$PG_PORT"

connections=${ACCEPT_CONNECTIONS:-16}
seconds=$(smoke_or 12 1)
warmup=$(smoke_or 5 1)
kv connections "$connections"

stub_port=$(free_port)
nginx_start stub "$stub_port" "$STUB_OK"
wrk_lua "$WORK/accept.lua" "$WORK/accept.json" "Authorization: Bearer $BENCH_TOKEN"

# accept_run DB [GATEWAY ARGS...]: warm up, then measure the accept rate of a fresh gateway.
accept_run() {
    local db="$1" url
    shift
    gateway_start "$db" "$stub_port" "$@"
    gateway_ready
    url="http://127.0.0.1:$GW_PORT/api/v1/notifications"
    [ "$(post_status "$url" "Authorization: Bearer $BENCH_TOKEN" "$WORK/accept.json")" = 202 ] ||
        die "POST /api/v1/notifications does not answer 202 on $db"
    log "$db: warming the gateway up for $warmup s"
    run_wrk "warmup_$db" "$url" "$warmup" "$connections" "$WORK/accept.lua"
    local before cpu_before
    before=$(delivered)
    cpu_before=$(cpu_ms "$GW_PID")
    jfr_start
    run_wrk "accept_$db" "$url" "$seconds" "$connections" "$WORK/accept.lua"
    kv_cpu "accept_$db" "$cpu_before" "$(kv_get "$KV" "accept_${db}_requests")"
    jfr_stop "$db"
    kv "accept_${db}_delivered_during" $(($(delivered) - before))
    kv "accept_${db}_queued_after" "$(metric push_notifications_queued)"
    gateway_stop
}

# raw_run DB URL [USER]: the JDBC reference at the same concurrency.
raw_run() {
    local db="$1" url="$2" user="${3:-sa}" out="$WORK/raw-$1.txt"
    log "$db: raw JDBC inserts from $connections threads"
    TOOL_CP=$JDBC_CP java_tool RawInsert url="$url" user="$user" password= threads="$connections" \
        duration="$seconds" warmup="$warmup" schema="$MIGRATIONS" >"$out" 2>&1 || { cat "$out" >&2; die "RawInsert"; }
    kv_prefixed "raw_$db" "$out"
}

accept_run h2
mkdir -p "$WORK/raw-h2"
# The same URL options as the gateway's application.yml.
raw_run h2 "jdbc:h2:file:$WORK/raw-h2/gateway;DB_CLOSE_ON_EXIT=FALSE"

gateway_db=$(pg_fresh_db)
BENCH_CLEANUPS+=("pg_drop_db $gateway_db")
accept_run pg --spring.datasource.url="jdbc:postgresql://$PG_HOST:$PG_PORT/$gateway_db" \
    --spring.datasource.username=postgres --spring.datasource.password=
raw_db=$(pg_fresh_db)
BENCH_CLEANUPS+=("pg_drop_db $raw_db")
raw_run pg "jdbc:postgresql://$PG_HOST:$PG_PORT/$raw_db" postgres

for db in h2 pg; do
    kv "ratio_$db" "$(awk -v a="$(kv_get "$KV" "accept_${db}_rps")" -v r="$(kv_get "$KV" "raw_${db}_rate")" \
        'BEGIN { printf "%.3f", a / r }')"
done
log "done: H2 $(kv_get "$KV" accept_h2_rps)/s vs raw $(kv_get "$KV" raw_h2_rate)/s;" \
    "PostgreSQL $(kv_get "$KV" accept_pg_rps)/s vs raw $(kv_get "$KV" raw_pg_rate)/s"
