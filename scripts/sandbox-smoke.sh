#!/usr/bin/env bash
# Starts the packaged gateway in the sandbox profile, sends one notification with the printed demo token and checks
# that it is delivered to the stand-in push service. Uses $JAVA (default: java on the PATH); run ./mvnw package first.
set -euo pipefail
cd "$(dirname "$0")/.."

java_bin="${JAVA:-java}"
jar=$(ls target/mas-push-gateway-*.jar | grep -v original | head -n 1)
port="${PORT:-18080}"
work=$(mktemp -d)
log="$work/gateway.log"

"$java_bin" -jar "$jar" --spring.profiles.active=sandbox --server.port="$port" --management.server.port=0 \
    --gateway.data-dir="$work/data" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

for _ in $(seq 1 60); do
    grep -q "Sandbox ready" "$log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "gateway exited during startup"; exit 1; }
    sleep 1
done
token=$(grep -o 'token: sandbox-[A-Za-z0-9_-]*' "$log" | head -n 1 | cut -d' ' -f2)
[ -n "$token" ] || { cat "$log"; echo "no demo token printed"; exit 1; }

answer=$(curl -sS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -H 'Prefer: wait=10' \
    -d '{"recipients":["WILSON"],"title":"Work order 1042 assigned","body":"Pump P-100 leaks"}' \
    "http://localhost:$port/api/v1/notifications")
echo "$answer"
echo "$answer" | grep -q '"status":"DELIVERED"' || { cat "$log"; echo "notification not delivered"; exit 1; }
"$java_bin" -version 2>&1 | head -n 1
echo "sandbox smoke: 1 passed, 0 failed"
