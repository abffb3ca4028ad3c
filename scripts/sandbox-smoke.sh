#!/usr/bin/env bash
# Starts the packaged gateway in the sandbox profile with structured (ECS JSON) logs, sends one notification with the
# printed demo token and a request id, and checks that it is delivered to the stand-in push service and that the log
# lines about it are JSON carrying the request id, the notification id, the environment and the client.
# Uses $JAVA (default: java on the PATH); run ./mvnw package first.
set -euo pipefail
cd "$(dirname "$0")/.."

java_bin="${JAVA:-java}"
jar=$(ls target/mas-push-gateway-*.jar | grep -v original | head -n 1)
port="${PORT:-18080}"
work=$(mktemp -d)
log="$work/gateway.log"

LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs "$java_bin" -jar "$jar" --spring.profiles.active=sandbox \
    --server.port="$port" --management.server.port=0 --gateway.data-dir="$work/data" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

for _ in $(seq 1 60); do
    grep -q "Sandbox ready" "$log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "gateway exited during startup"; exit 1; }
    sleep 1
done
token=$(grep -o 'token: sandbox-[A-Za-z0-9_-]*' "$log" | head -n 1 | cut -d' ' -f2)
[ -n "$token" ] || { cat "$log"; echo "no demo token printed"; exit 1; }

passed=0
failed=0
check() {
    if eval "$2"; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAILED: $1"; fi
}

answer=$(curl -sS -D "$work/headers" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -H 'Prefer: wait=10' -H 'X-Request-Id: smoke-request-1' \
    -d '{"recipients":["SMOKE-RECIPIENT"],"title":"Smoke title","body":"Smoke body 7f3a"}' \
    "http://localhost:$port/api/v1/notifications")
echo "$answer"
id=$(echo "$answer" | grep -o '"id":"[^"]*"' | cut -d'"' -f4)
sleep 1
delivered_line=$(grep "\"notificationId\":\"$id\"" "$log" | grep 'delivered' | head -n 1 || true)

check "notification delivered" "echo '$answer' | grep -q '\"status\":\"DELIVERED\"'"
check "log lines are JSON" "grep 'Sandbox ready' '$log' | head -n 1 | grep -q '^{.*\"message\":'"
check "the delivery line names the notification, environment and client" \
    "echo '$delivered_line' | grep -q '\"environment\":\"default\"' && echo '$delivered_line' | grep -q '\"clientId\":\"demo\"'"
check "the answer carries the caller's request id" "grep -qi '^x-request-id: smoke-request-1' '$work/headers'"
check "the delivery line carries the request id" "echo '$delivered_line' | grep -q '\"requestId\":\"smoke-request-1\"'"
check "no message body, title or recipient in the log" \
    "! grep -q -e 'Smoke body 7f3a' -e 'Smoke title' -e 'SMOKE-RECIPIENT' '$log'"
"$java_bin" -version 2>&1 | head -n 1
echo "sandbox smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
