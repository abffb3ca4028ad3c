{{- define "mas-push-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mas-push-gateway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "mas-push-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mas-push-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mas-push-gateway.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "mas-push-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: mas-push-gateway
{{- end }}

{{- define "mas-push-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mas-push-gateway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret with the API key files, client token hashes, encryption key and database password. */}}
{{- define "mas-push-gateway.secretName" -}}
{{- default (include "mas-push-gateway.fullname" .) .Values.existingSecret }}
{{- end }}

{{- define "mas-push-gateway.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "mas-push-gateway.postgresql" -}}
{{- eq .Values.database.type "postgresql" }}
{{- end }}

{{/*
The push environments as a list of dicts: name, the Secret key holding its API key, and its settings. Without named
environments there is one, "default", from .Values.push.
*/}}
{{- define "mas-push-gateway.environments" -}}
{{- $list := list }}
{{- if .Values.environments }}
{{- range $name := keys .Values.environments | sortAlpha }}
{{- $settings := default (dict) (get $.Values.environments $name) }}
{{- $list = append $list (dict "name" $name "secretKey" (printf "api-key-%s" $name) "settings" $settings) }}
{{- end }}
{{- else }}
{{- $list = append $list (dict "name" "default" "secretKey" "api-key" "settings" .Values.push) }}
{{- end }}
{{- toJson $list }}
{{- end }}

{{/* "true" when a client (the argument) has status callbacks, which then need its callback secret; else empty. */}}
{{- define "mas-push-gateway.callbacks" -}}
{{- if or .callbackUrl .callbackUrlPrefixes }}true{{ end }}
{{- end }}

{{- define "mas-push-gateway.apiKeyDir" -}}
/etc/mas-push-gateway/push
{{- end }}

{{- define "mas-push-gateway.tlsDir" -}}
/etc/mas-push-gateway/tls
{{- end }}

{{- define "mas-push-gateway.configDir" -}}
/etc/mas-push-gateway/config
{{- end }}

{{- define "mas-push-gateway.dataDir" -}}
/app/data
{{- end }}

{{/* Refuse value combinations that cannot work, with a message that says what to change. */}}
{{- define "mas-push-gateway.validate" -}}
{{- $embedded := eq .Values.database.type "embedded" }}
{{- $shared := print "the embedded H2 database lives on one pod's volume and cannot be shared by several replicas. "
    "Set database.type=postgresql with database.postgresql.url (and username and password)" }}
{{- if and $embedded (gt (int .Values.replicaCount) 1) }}
{{- fail (printf "replicaCount is %d but database.type is embedded: %s %s" (int .Values.replicaCount) $shared
    "for more than one replica, or set replicaCount=1.") }}
{{- end }}
{{- if and $embedded .Values.autoscaling.enabled (gt (int .Values.autoscaling.maxReplicas) 1) }}
{{- fail (printf "autoscaling.maxReplicas is %d but database.type is embedded: %s %s"
    (int .Values.autoscaling.maxReplicas) $shared "to autoscale, or disable autoscaling.") }}
{{- end }}
{{- if and (not $embedded) (not .Values.database.postgresql.url) }}
{{- fail (print "database.type is postgresql but database.postgresql.url is empty: "
    "give the JDBC URL, jdbc:postgresql://host:5432/database.") }}
{{- end }}
{{- if and (not $embedded) (not .Values.database.postgresql.username) }}
{{- fail "database.type is postgresql but database.postgresql.username is empty." }}
{{- end }}
{{- $needed := add (int .Values.preStopSleepSeconds) (int .Values.shutdownPhaseTimeoutSeconds)
    (int .Values.delivery.shutdownGraceSeconds) }}
{{- if le (int .Values.terminationGracePeriodSeconds) $needed }}
{{- fail (printf (print "terminationGracePeriodSeconds is %d but must be longer than preStopSleepSeconds + "
    "shutdownPhaseTimeoutSeconds + delivery.shutdownGraceSeconds (%d): otherwise Kubernetes kills the gateway "
    "before it has finished the calls in flight and handed back its claims.")
    (int .Values.terminationGracePeriodSeconds) $needed) }}
{{- end }}
{{- if and .Values.tls.enabled (not .Values.tls.secretName) }}
{{- fail "tls.enabled is true but tls.secretName is empty: name a kubernetes.io/tls Secret (tls.crt, tls.key)." }}
{{- end }}
{{- if .Values.existingSecret }}
{{- if or .Values.apiKey.value .Values.apiKey.values }}
{{- fail (print "apiKey.value and apiKey.values are for trials without existingSecret; with existingSecret put the "
    "key in that Secret (api-key, or api-key-<environment>).") }}
{{- end }}
{{- if .Values.encryptionKey }}
{{- fail "encryptionKey is ignored with existingSecret: put it in that Secret under the key encryption-key." }}
{{- end }}
{{- if .Values.database.postgresql.password }}
{{- fail (print "database.postgresql.password is ignored with existingSecret: put it in that Secret under the key "
    "database-password (or name another with database.postgresql.passwordSecret).") }}
{{- end }}
{{- end }}
{{- if and .Values.apiKey.value .Values.environments }}
{{- fail (print "apiKey.value is the key of the environment \"default\", which does not exist when environments "
    "are named: use apiKey.values.<environment>.") }}
{{- end }}
{{- range $name, $_ := .Values.apiKey.values }}
{{- if not (hasKey $.Values.environments $name) }}
{{- fail (printf "apiKey.values.%s names an environment that is not under environments." $name) }}
{{- end }}
{{- end }}
{{- range $i, $c := .Values.clients }}
{{- $roles := default (list "SEND") $c.roles }}
{{- range $role := list "SEND" "RELAY" }}
{{- if and (eq (toString $c.environment) "*") (has $role $roles) }}
{{- fail (printf (print "clients[%d] (%s) is bound to every environment (*) but has the role %s: a sender must be "
    "bound to one environment, so that it never sends with another environment's key; give it roles [ADMIN] only.")
    $i $c.id $role) }}
{{- end }}
{{- end }}
{{- if $.Values.existingSecret }}
{{- if $c.tokenSha256 }}
{{- fail (printf (print "clients[%d].tokenSha256 is ignored with existingSecret: put it in that Secret under the key "
    "client-%s-token-sha256.") $i $c.id) }}
{{- end }}
{{- if $c.callbackSecret }}
{{- fail (printf (print "clients[%d].callbackSecret is ignored with existingSecret: put it in that Secret under the "
    "key client-%s-callback-secret.") $i $c.id) }}
{{- end }}
{{- else }}
{{- if not $c.tokenSha256 }}
{{- fail (printf "clients[%d] (%s) has no tokenSha256 (printf %%s \"$TOKEN\" | sha256sum); or use existingSecret."
    $i $c.id) }}
{{- end }}
{{- if and (include "mas-push-gateway.callbacks" $c) (not $c.callbackSecret) }}
{{- fail (printf (print "clients[%d] (%s) has a callbackUrl or callbackUrlPrefixes but no callbackSecret: every "
    "callback is signed so that its receiver can trust it. Give callbackSecret (openssl rand -base64 32), or use "
    "existingSecret with the key client-%s-callback-secret.") $i $c.id $c.id) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
