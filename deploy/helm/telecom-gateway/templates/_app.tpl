{{/*
Everything of one app: its workload (a Deployment, or a StatefulSet with a headless Service for
the call-orchestrator), Service, PodDisruptionBudget, HorizontalPodAutoscaler and NetworkPolicy.
ctx: dict root, app (the app's name, a key of gw.appFacts).
*/}}
{{- define "gw.app" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $app := .app -}}
{{- $facts := get (include "gw.appFacts" $root | fromYaml) $app -}}
{{- $cfg := get $v.apps $facts.key -}}
{{- $name := printf "%s-%s" (include "gw.fullname" $root) $app -}}
{{- $ctx := dict "root" $root "component" $app -}}
{{- $stateful := eq $app "call-orchestrator" -}}
{{- $recordings := and (include "gw.recordingsLocal" $root) (has $app (list "api" "workers" "call-orchestrator")) -}}
{{- if $stateful }}
# A StatefulSet: each replica keeps a stable name (ORCHESTRATOR_ID = pod name), which names its own
# Stasis application `<ARI_APP>-<pod name>` on every Asterisk server and owns its call leases; after
# a restart it resumes the calls it owned at once. On SIGTERM a replica releases its leases and
# inbound roles, so the other replicas take its calls over at their next check (every
# CALL_LEASE_MS/3) instead of after the whole lease; a replica that dies is taken over once its
# leases expire.
{{- end }}
apiVersion: apps/v1
kind: {{ ternary "StatefulSet" "Deployment" $stateful }}
metadata:
  name: {{ $name }}
  labels:
    {{- include "gw.labels" $ctx | nindent 4 }}
spec:
  {{- if not $cfg.autoscaling.enabled }}
  replicas: {{ $cfg.replicas }}
  {{- end }}
  {{- if $stateful }}
  serviceName: {{ $name }}
  # Replicas start and stop together: each owns only its own calls.
  podManagementPolicy: Parallel
  {{- else }}
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxUnavailable: 0, maxSurge: 1 }
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "gw.selectorLabels" $ctx | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "gw.labels" $ctx | nindent 8 }}
      annotations:
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        {{- if $v.metrics.scrapeAnnotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ $cfg.port | quote }}
        prometheus.io/path: {{ $v.metrics.path | quote }}
        {{- end }}
        {{- with $cfg.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "gw.serviceAccountName" $root }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $cfg.terminationGracePeriodSeconds }}
      securityContext:
        {{- toYaml $v.podSecurityContext | nindent 8 }}
      {{- with $v.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $cfg.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $cfg.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      affinity:
        {{- if $cfg.affinity }}
        {{- toYaml $cfg.affinity | nindent 8 }}
        {{- else }}
        # Replicas on different nodes where possible, so one node lost takes no app down whole.
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    {{- include "gw.selectorLabels" $ctx | nindent 20 }}
        {{- end }}
      {{- if $v.schemaWait.enabled }}
      initContainers:
        {{- include "gw.schemaWait" (dict "root" $root "secret" $cfg.secretName) | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ $app }}
          image: {{ include "gw.image" $root }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          command: ["node", "--enable-source-maps", {{ $facts.main | quote }}]
          ports:
            - { name: http, containerPort: {{ $cfg.port }}, protocol: TCP }
          envFrom:
            - configMapRef: { name: {{ include "gw.fullname" $root }}-config }
          env:
            {{- include "gw.appEnv" (dict "root" $root "app" $app "cfg" $cfg) | nindent 12 }}
            {{- include "gw.secretEnvEntries" (dict "root" $root "secret" $cfg.secretName "list" (include "gw.secretEnv" (dict "root" $root "app" $app) | fromYamlArray)) | trim | nindent 12 }}
          # Up to 60 s to boot (config check, connections) before liveness counts.
          startupProbe:
            httpGet: { path: /health/live, port: http }
            periodSeconds: 2
            timeoutSeconds: 2
            failureThreshold: 30
          # Postgres, Redis and Kafka (as this app uses them) answer; the checks time out at 2 s.
          readinessProbe:
            httpGet: { path: /health/ready, port: http }
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          livenessProbe:
            httpGet: { path: /health/live, port: http }
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 6
          lifecycle:
            # Endpoints and load balancers drop the pod before it gets SIGTERM and drains.
            preStop:
              sleep: { seconds: {{ $cfg.preStopSleepSeconds }} }
          resources:
            {{- toYaml $cfg.resources | nindent 12 }}
          securityContext:
            {{- toYaml $v.containerSecurityContext | nindent 12 }}
          volumeMounts:
            # Writable scratch space: the root file system is read-only.
            - { name: tmp, mountPath: /tmp }
            {{- if $recordings }}
            - { name: recordings, mountPath: {{ $v.recordings.dir }}{{ if eq $app "api" }}, readOnly: true{{ end }} }
            {{- else if has $app (list "api" "workers" "call-orchestrator") }}
            - { name: recordings, mountPath: {{ $v.recordings.dir }} }
            {{- end }}
            {{- if $stateful }}
            - { name: tts, mountPath: /var/lib/gateway/tts }
            {{- end }}
            {{- if $v.kafka.tls.caSecret.name }}
            - { name: kafka-ca, mountPath: /etc/gateway/kafka-ca, readOnly: true }
            {{- end }}
            {{- if $v.extraCaCerts.secretName }}
            - { name: extra-ca, mountPath: /etc/gateway/extra-ca, readOnly: true }
            {{- end }}
            {{- if and (eq $app "sms-connector") $v.carriers.secretFiles }}
            - { name: carrier-secrets, mountPath: /etc/gateway/carriers, readOnly: true }
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: { sizeLimit: 256Mi }
        {{- if $recordings }}
        - name: recordings
          persistentVolumeClaim: { claimName: {{ include "gw.recordingsClaim" $root }} }
        {{- else if has $app (list "api" "workers" "call-orchestrator") }}
        # Recordings live in S3; RECORDINGS_DIR is scratch space only.
        - name: recordings
          emptyDir: { sizeLimit: 1Gi }
        {{- end }}
        {{- if $stateful }}
        - name: tts
          persistentVolumeClaim: { claimName: {{ include "gw.ttsClaim" $root }} }
        {{- end }}
        {{- with $v.kafka.tls.caSecret }}
        {{- if .name }}
        - name: kafka-ca
          secret:
            secretName: {{ .name }}
            items: [{ key: {{ .key }}, path: ca.crt }]
        {{- end }}
        {{- end }}
        {{- with $v.extraCaCerts }}
        {{- if .secretName }}
        - name: extra-ca
          secret:
            secretName: {{ .secretName }}
            items: [{ key: {{ .key }}, path: ca.crt }]
        {{- end }}
        {{- end }}
        {{- if and (eq $app "sms-connector") $v.carriers.secretFiles }}
        - name: carrier-secrets
          secret:
            secretName: {{ $cfg.secretName }}
            items:
              {{- range $v.carriers.secretFiles }}
              - { key: {{ . }}, path: {{ . }} }
              {{- end }}
        {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "gw.labels" $ctx | nindent 4 }}
spec:
  {{- if $stateful }}
  # Headless (the StatefulSet's serviceName): a stable DNS name per replica,
  # <name>-0.<name>, for health checks and scraping each replica's /metrics.
  clusterIP: None
  publishNotReadyAddresses: true
  {{- end }}
  selector:
    {{- include "gw.selectorLabels" $ctx | nindent 4 }}
  ports:
    - { name: http, port: {{ ternary $cfg.port 80 $stateful }}, targetPort: http, protocol: TCP }
---
# Voluntary disruptions (node drains) take at most this many replicas at a time.
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels:
    {{- include "gw.labels" $ctx | nindent 4 }}
spec:
  {{- toYaml $cfg.pdb | nindent 2 }}
  selector:
    matchLabels:
      {{- include "gw.selectorLabels" $ctx | nindent 6 }}
{{- with $cfg.autoscaling }}
{{- if .enabled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $name }}
  labels:
    {{- include "gw.labels" $ctx | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: {{ ternary "StatefulSet" "Deployment" $stateful }}
    name: {{ $name }}
  minReplicas: {{ .minReplicas }}
  maxReplicas: {{ .maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: { type: Utilization, averageUtilization: {{ .targetCPUUtilizationPercentage }} }
    {{- with .queueDepth }}
    {{- if .enabled }}
    {{- /* Served by a metrics adapter (e.g. prometheus-adapter) from gw_queue_jobs / gw_kafka_consumer_lag. */}}
    {{- if eq .type "External" }}
    - type: External
      external:
        metric:
          name: {{ .metric }}
          {{- with .selector }}
          selector:
            {{- toYaml . | nindent 12 }}
          {{- end }}
        target: { type: AverageValue, averageValue: {{ .averageValue | quote }} }
    {{- else if eq .type "Pods" }}
    - type: Pods
      pods:
        metric:
          name: {{ .metric }}
          {{- with .selector }}
          selector:
            {{- toYaml . | nindent 12 }}
          {{- end }}
        target: { type: AverageValue, averageValue: {{ .averageValue | quote }} }
    {{- else }}
    {{- fail (printf "apps.%s.autoscaling.queueDepth.type must be External or Pods" $facts.key) }}
    {{- end }}
    {{- end }}
    {{- end }}
  behavior:
    # Scale in slowly: a drained replica hands its work over, which is not free.
    scaleDown:
      stabilizationWindowSeconds: 300
      policies: [{ type: Pods, value: 1, periodSeconds: 60 }]
{{- end }}
{{- end }}
{{- if $v.networkPolicy.enabled }}
{{- $np := $v.networkPolicy }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ $name }}
  labels:
    {{- include "gw.labels" $ctx | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "gw.selectorLabels" $ctx | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress:
    {{- if $facts.public }}
    # The ingress controller.
    - from:
        - namespaceSelector:
            {{- toYaml $np.ingressController.namespaceSelector | nindent 12 }}
          podSelector:
            {{- toYaml $np.ingressController.podSelector | nindent 12 }}
      ports: [{ protocol: TCP, port: http }]
    {{- end }}
    # Prometheus scraping /metrics (the HTTP port).
    - from:
        - namespaceSelector:
            {{- toYaml $np.monitoring.namespaceSelector | nindent 12 }}
          podSelector:
            {{- toYaml $np.monitoring.podSelector | nindent 12 }}
      ports: [{ protocol: TCP, port: http }]
    {{- with $cfg.extraIngress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  egress:
    {{- include "gw.egressBase" $root | nindent 4 }}
    {{- include "gw.egressRule" (dict "cidrs" $v.redis.cidrs "ports" (list $v.redis.port)) | nindent 4 }}
    {{- include "gw.egressRule" (dict "cidrs" $v.kafka.cidrs "ports" $v.kafka.ports) | nindent 4 }}
    {{- if $v.otel.endpoint }}
    {{- include "gw.egressRule" (dict "cidrs" $v.otel.cidrs "ports" (list $v.otel.port)) | nindent 4 }}
    {{- end }}
    {{- if and (eq $v.recordings.store "s3") (has $app (list "api" "workers" "call-orchestrator")) }}
    {{- include "gw.egressRule" (dict "cidrs" $v.recordings.s3.cidrs "ports" (list $v.recordings.s3.port)) | nindent 4 }}
    {{- end }}
    {{- if eq $app "sms-connector" }}
    # The carriers.
    {{- include "gw.egressRule" $v.carriers.egress | nindent 4 }}
    {{- end }}
    {{- if has $app (list "workers" "call-orchestrator") }}
    # Callback receivers and flow fetches.
    {{- include "gw.egressRule" (dict "cidrs" $v.outbound.egress.cidrs "except" $v.outbound.egress.except) | nindent 4 }}
    {{- end }}
    {{- if eq $app "call-orchestrator" }}
    # The Asterisk servers' ARI.
    {{- include "gw.egressRule" $v.asterisk.egress | nindent 4 }}
    {{- end }}
    {{- with $cfg.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end }}
{{- end -}}
