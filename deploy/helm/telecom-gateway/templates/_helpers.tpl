{{/* Release-wide name prefix: the release name unless fullnameOverride is set. */}}
{{- define "gw.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* Fixed facts of each app: values key, port variable, entry point, whether the ingress controller may reach it. */}}
{{- define "gw.appFacts" -}}
api: { key: api, portEnv: API_PORT, main: dist/apps/api/src/main.js, public: true }
webhook-ingress: { key: webhookIngress, portEnv: WEBHOOK_INGRESS_PORT, main: dist/apps/webhook-ingress/src/main.js, public: true }
sms-connector: { key: smsConnector, portEnv: SMS_CONNECTOR_PORT, main: dist/apps/sms-connector/src/main.js, public: false }
workers: { key: workers, portEnv: WORKERS_PORT, main: dist/apps/workers/src/main.js, public: false }
call-orchestrator: { key: callOrchestrator, portEnv: ORCHESTRATOR_PORT, main: dist/apps/call-orchestrator/src/main.js, public: false }
{{- end -}}

{{- define "gw.image" -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}

{{- define "gw.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ default (include "gw.fullname" .) .Values.serviceAccount.name }}
{{- else -}}
{{ default "default" .Values.serviceAccount.name }}
{{- end -}}
{{- end -}}

{{/* Labels of every object; ctx: dict root, component. */}}
{{- define "gw.labels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/part-of: telecom-gateway
app.kubernetes.io/version: {{ default .root.Chart.AppVersion .root.Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ .root.Chart.Name }}-{{ .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector labels of a component; ctx: dict root, component. */}}
{{- define "gw.selectorLabels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* Whether recordings live on the shared volume (as "true"/""). */}}
{{- define "gw.recordingsLocal" -}}
{{- if eq .Values.recordings.store "local" }}true{{ end -}}
{{- end -}}

{{/* Name of the recordings claim. */}}
{{- define "gw.recordingsClaim" -}}
{{ default (printf "%s-recordings" (include "gw.fullname" .)) .Values.recordings.persistence.existingClaim }}
{{- end -}}

{{- define "gw.ttsClaim" -}}
{{ default (printf "%s-tts" (include "gw.fullname" .)) .Values.tts.existingClaim }}
{{- end -}}

{{/*
Secret environment variables an app reads, as a YAML list of {env, optional}; ctx: dict root, app.
Only these keys are read from the app's Secret.
*/}}
{{- define "gw.secretEnv" -}}
{{- $v := .root.Values -}}
- { env: DATABASE_URL }
- { env: REDIS_URL }
{{- if $v.kafka.sasl.enabled }}
- { env: KAFKA_SASL_USERNAME }
- { env: KAFKA_SASL_PASSWORD }
{{- end }}
{{- if eq .app "api" }}
- { env: OPERATOR_SECRET }
{{- else if eq .app "webhook-ingress" }}
- { env: DLR_TOKEN_SECRET }
- { env: MO_TOKEN }
{{- else if eq .app "sms-connector" }}
- { env: DLR_TOKEN_SECRET }
{{- /* Optional: a connector whose reference is unset fails by itself, naming it; the others run. */}}
{{- range $v.carriers.secretEnv }}
- { env: {{ . }}, optional: true }
{{- end }}
{{- else if eq .app "call-orchestrator" }}
{{- /* Optional: credentials may instead sit in the URLs of ARI_SERVERS. */}}
- { env: ARI_USERNAME, optional: true }
- { env: ARI_PASSWORD, optional: true }
- { env: ARI_SERVERS, optional: true }
{{- end }}
{{- if and (eq $v.recordings.store "s3") (has .app (list "api" "workers" "call-orchestrator")) }}
{{- /* Optional: without them the SDK's other credential sources apply. */}}
- { env: RECORDINGS_S3_ACCESS_KEY_ID, optional: true }
- { env: RECORDINGS_S3_SECRET_ACCESS_KEY, optional: true }
{{- end }}
{{- end -}}

{{/* env entries reading `list` ({env, optional}) from Secret `secret`; ctx: dict root, secret, list. */}}
{{- define "gw.secretEnvEntries" -}}
{{- $keys := .root.Values.secretKeys -}}
{{- $secret := .secret -}}
{{- range .list }}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ get $keys .env | default .env }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}
{{- end -}}

{{/* Recording store settings (api, workers, call-orchestrator). */}}
{{- define "gw.recordingsEnv" -}}
{{- $r := .Values.recordings -}}
- { name: RECORDINGS_STORE, value: {{ $r.store | quote }} }
- { name: RECORDINGS_DIR, value: {{ $r.dir | quote }} }
{{- if eq $r.store "s3" }}
- { name: RECORDINGS_S3_BUCKET, value: {{ required "recordings.s3.bucket is required when recordings.store is s3" $r.s3.bucket | quote }} }
- { name: RECORDINGS_S3_REGION, value: {{ $r.s3.region | quote }} }
{{- with $r.s3.endpoint }}
- { name: RECORDINGS_S3_ENDPOINT, value: {{ . | quote }} }
{{- end }}
{{- end }}
{{- end -}}

{{/* Non-secret environment of an app besides the shared ConfigMap; ctx: dict root, app, cfg. */}}
{{- define "gw.appEnv" -}}
{{- $v := .root.Values -}}
{{- $facts := get (include "gw.appFacts" .root | fromYaml) .app -}}
- { name: HOST, value: "0.0.0.0" }
- { name: {{ $facts.portEnv }}, value: {{ .cfg.port | quote }} }
- name: POD_NAME
  valueFrom: { fieldRef: { fieldPath: metadata.name } }
- name: POD_NAMESPACE
  valueFrom: { fieldRef: { fieldPath: metadata.namespace } }
- { name: OTEL_RESOURCE_ATTRIBUTES, value: "k8s.pod.name=$(POD_NAME),k8s.namespace.name=$(POD_NAMESPACE)" }
{{- if eq .app "api" }}
- { name: OUTBOUND_ALLOWED_CIDRS, value: {{ join "," $v.outbound.allowedCidrs | quote }} }
{{- include "gw.recordingsEnv" .root | nindent 0 }}
{{- else if eq .app "webhook-ingress" }}
- { name: CARRIER_ALLOWED_CIDRS, value: {{ join "," $v.carriers.allowedCidrs | quote }} }
{{- else if eq .app "sms-connector" }}
- { name: DLR_BASE_URL, value: {{ $v.carriers.dlrBaseUrl | quote }} }
{{- else if eq .app "workers" }}
- { name: OUTBOUND_ALLOWED_CIDRS, value: {{ join "," $v.outbound.allowedCidrs | quote }} }
{{- include "gw.recordingsEnv" .root | nindent 0 }}
{{- else if eq .app "call-orchestrator" }}
{{- /* The pod name is the replica's stable id: it names its Stasis application and owns its call leases. */}}
- name: ORCHESTRATOR_ID
  valueFrom: { fieldRef: { fieldPath: metadata.name } }
- { name: ARI_URL, value: {{ $v.asterisk.ariUrl | quote }} }
- { name: ARI_APP, value: {{ $v.asterisk.ariApp | quote }} }
- { name: ARI_TRUNK_ENDPOINT, value: {{ $v.asterisk.trunkEndpoint | quote }} }
- { name: ARI_REQUEST_TIMEOUT_MS, value: {{ $v.asterisk.requestTimeoutMs | quote }} }
- { name: ARI_SERVER_LOST_MS, value: {{ $v.asterisk.serverLostMs | quote }} }
- { name: TTS_CACHE_DIR, value: /var/lib/gateway/tts }
- { name: OUTBOUND_ALLOWED_CIDRS, value: {{ join "," $v.outbound.allowedCidrs | quote }} }
{{- include "gw.recordingsEnv" .root | nindent 0 }}
{{- end }}
{{- if $v.kafka.tls.caSecret.name }}
- { name: KAFKA_TLS_CA_FILE, value: /etc/gateway/kafka-ca/ca.crt }
{{- end }}
{{- if $v.extraCaCerts.secretName }}
- { name: NODE_EXTRA_CA_CERTS, value: /etc/gateway/extra-ca/ca.crt }
{{- end }}
{{- range $name, $value := .cfg.env }}
- { name: {{ $name }}, value: {{ $value | quote }} }
{{- end }}
{{- end -}}

{{/*
Init container that waits until every migration of this image is in schema_migrations (the
table the migration runner writes): read-only, polls every 2 s, gives up after
schemaWait.timeoutSeconds (the pod then restarts it with backoff). ctx: dict root, secret.
*/}}
{{- define "gw.schemaWait" -}}
{{- $v := .root.Values -}}
- name: wait-for-schema
  image: {{ include "gw.image" .root }}
  imagePullPolicy: {{ $v.image.pullPolicy }}
  command:
    - node
    - -e
    - |
      const { MIGRATIONS } = require('./dist/libs/database/src/data-source.js');
      const { Client } = require('pg');
      const want = MIGRATIONS.map((M) => new M().name || M.name);
      const deadline = Date.now() + Number(process.env.SCHEMA_WAIT_TIMEOUT_S) * 1000;
      async function pending() {
        const c = new Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000, statement_timeout: 5000 });
        try {
          await c.connect();
          const have = new Set((await c.query('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
          return want.filter((n) => !have.has(n));
        } finally {
          await c.end().catch(() => undefined);
        }
      }
      (async function poll() {
        const missing = await pending().catch((err) => [err.code || 'unreachable']);
        if (!missing.length) process.exit(0);
        if (Date.now() > deadline) { console.error('schema not ready: ' + missing.join(',')); process.exit(1); }
        setTimeout(poll, 2000);
      })();
  env:
    - { name: SCHEMA_WAIT_TIMEOUT_S, value: {{ $v.schemaWait.timeoutSeconds | quote }} }
    {{- include "gw.secretEnvEntries" (dict "root" .root "secret" .secret "list" (list (dict "env" "DATABASE_URL"))) | trim | nindent 4 }}
  resources:
    {{- toYaml $v.schemaWait.resources | nindent 4 }}
  securityContext:
    {{- toYaml $v.containerSecurityContext | nindent 4 }}
{{- end -}}

{{/* NetworkPolicy egress rule to `cidrs` (with optional `except`) on `ports` (all ports when empty); ctx: dict cidrs, except, ports. */}}
{{- define "gw.egressRule" -}}
- to:
    {{- range .cidrs }}
    - ipBlock:
        cidr: {{ . }}
        {{- if and $.except (eq . "0.0.0.0/0") }}
        except:
          {{- toYaml $.except | nindent 10 }}
        {{- end }}
    {{- end }}
  {{- with .ports }}
  ports:
    {{- range . }}
    - { protocol: TCP, port: {{ . }} }
    {{- end }}
  {{- end }}
{{- end -}}

{{/* Egress every pod of the release needs: DNS and Postgres; ctx: root. */}}
{{- define "gw.egressBase" -}}
{{- $np := .Values.networkPolicy -}}
- to:
    - namespaceSelector:
        {{- toYaml $np.dns.namespaceSelector | nindent 8 }}
      podSelector:
        {{- toYaml $np.dns.podSelector | nindent 8 }}
  ports:
    - { protocol: UDP, port: 53 }
    - { protocol: TCP, port: 53 }
{{ include "gw.egressRule" (dict "cidrs" .Values.postgres.cidrs "ports" (list .Values.postgres.port)) }}
{{- end -}}
