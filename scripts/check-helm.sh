#!/usr/bin/env bash
# Lints and renders the Helm chart with several value sets (defaults, production-like, a trial) and checks that
# value combinations that cannot work are refused with a message. Uses $HELM_BIN, or installs Helm with
# scripts/install-helm.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

helm="${HELM_BIN:-$(bash scripts/install-helm.sh)}"
chart=helm/mas-push-gateway
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
not_ok() { failed=$((failed + 1)); echo "FAILED: $1"; }

render() {
    local name="$1"
    shift
    if "$helm" lint --strict "$chart" "$@" >"$work/$name.lint" 2>&1; then
        ok "lint $name"
    else
        cat "$work/$name.lint"
        not_ok "lint $name"
    fi
    if "$helm" template gw "$chart" --namespace mas-push "$@" >"$work/$name.yaml" 2>"$work/$name.err"; then
        ok "template $name ($(grep -c '^kind:' "$work/$name.yaml") objects)"
    else
        cat "$work/$name.err"
        not_ok "template $name"
    fi
}

contains() {
    if grep -q -e "$3" "$work/$1.yaml"; then ok "$2"; else not_ok "$2"; fi
}

lacks() {
    if grep -q -e "$3" "$work/$1.yaml"; then not_ok "$2"; else ok "$2"; fi
}

refused() {
    local name="$1" message="$2"
    shift 2
    if "$helm" template gw "$chart" "$@" >/dev/null 2>"$work/$name.err"; then
        not_ok "$name is refused (it rendered)"
    elif grep -q -e "$message" "$work/$name.err"; then
        ok "$name is refused: $(grep -o -e "$message[^.]*" "$work/$name.err" | head -n 1)"
    else
        cat "$work/$name.err"
        not_ok "$name is refused with a message naming the problem"
    fi
}

render defaults
render production -f "$chart/ci/production-values.yaml"
render sandbox -f "$chart/ci/sandbox-values.yaml"

contains defaults "defaults: the API key is a mounted file" 'api-key-file: /etc/mas-push-gateway/push/api-key'
contains defaults "defaults: the embedded database on a claim" 'kind: PersistentVolumeClaim'
lacks defaults "defaults: no API key value" \
    '^ *apiKey:\|name: GATEWAY_PUSH_API_KEY\|api-key: [^"]'
contains production "production: NetworkPolicy lets the MAS namespace in" \
    'kubernetes.io/metadata.name: "mas-inst1-manage"'
contains production "production: PostgreSQL URL" 'jdbc:postgresql://postgres.mas-push.svc:5432/gateway'
contains production "production: HorizontalPodAutoscaler" 'kind: HorizontalPodAutoscaler'
contains production "production: ServiceMonitor" 'kind: ServiceMonitor'
lacks production "production: no chart-made Secret" 'kind: Secret'
contains production "production: the relay client's callback secret from the existing Secret" \
    'key: client-manage-relay-callback-secret'
contains production "production: the relay client's mode" 'name: GATEWAY_CLIENTS_3_RELAYMODE'
contains production "production: NetworkPolicy lets callbacks out to the receiver's namespace" \
    'kubernetes.io/metadata.name: integration'
contains sandbox "sandbox: the trial key reaches the chart's Secret" \
    "api-key: \"$(printf %s trial-api-key-value-0123456789 | base64 -w0)\""
contains sandbox "sandbox: the callback secret reaches the chart's Secret" \
    "client-trial-callback-secret: \"$(printf %s trial-callback-secret-0123456789 | base64 -w0)\""
lacks sandbox "sandbox: the callback secret is never a plain value" 'trial-callback-secret-0123456789'

refused "two replicas on the embedded database" "cannot be shared by several replicas" \
    -f "$chart/ci/refused-replicas-values.yaml"
refused "autoscaling on the embedded database" "cannot be shared by several replicas" \
    --set autoscaling.enabled=true --set autoscaling.maxReplicas=3
refused "a termination grace shorter than the drain" "must be longer than" \
    --set terminationGracePeriodSeconds=30
refused "PostgreSQL without a URL" "database.postgresql.url is empty" \
    --set database.type=postgresql --set database.postgresql.username=gw
client=(--set 'clients[0].id=c'
    --set 'clients[0].tokenSha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')
refused "a sender bound to every environment" "has the role SEND: a sender must be bound to one environment" \
    "${client[@]}" --set 'clients[0].environment=*'
refused "a relay bound to every environment" "has the role RELAY: a sender must be bound to one environment" \
    "${client[@]}" --set 'clients[0].environment=*' --set 'clients[0].roles={ADMIN,RELAY}'
refused "callbacks without a callback secret" "but no callbackSecret" \
    "${client[@]}" --set 'clients[0].callbackUrlPrefixes={https://hooks.example.com/}'
refused "a callback secret with existingSecret" "callbackSecret is ignored with existingSecret" \
    --set existingSecret=s --set 'clients[0].id=c' --set-string 'clients[0].callbackSecret=0123456789abcdef'
refused "an unknown database type" "value must be one of" --set database.type=mysql

"$helm" version --short
echo "helm checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
