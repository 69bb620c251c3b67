#!/usr/bin/env bash
# Checks of the Kubernetes deployment: `helm lint` and `helm template` of the chart
# (deploy/helm/telecom-gateway) with its default values and with ci/all-options-values.yaml
# (every option on), the kustomize base deploy/k8s regenerated from the chart and compared with
# the committed files (drift), then scripts/k8s-check.py on all three: strict validation against
# the Kubernetes 1.37 schemas (offline, from kubernetes-validate) and the hardening rules; the
# fixtures in deploy/test must be rejected. Tools come from infra/lib/k8s-tools.sh (built once
# under .state/k8s-tools).
#   scripts/k8s-validate.sh                 # check; JUnit to $RESULTS_DIR/k8s.xml when set
#   scripts/k8s-validate.sh --write-base    # regenerate deploy/k8s from the chart, then check
set -euo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHART="$ROOT_DIR/deploy/helm/telecom-gateway"
BASE="$ROOT_DIR/deploy/k8s"
WRITE_BASE=0
[ "${1:-}" = "--write-base" ] && WRITE_BASE=1

BIN="$(bash "$ROOT_DIR/infra/lib/k8s-tools.sh" all | tail -n 1)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# helm keeps its cache and config away from $HOME.
export HELM_CACHE_HOME="$WORK/helm/cache" HELM_CONFIG_HOME="$WORK/helm/config" HELM_DATA_HOME="$WORK/helm/data"
RESULTS="$WORK/results.tsv"
: >"$RESULTS"

# step NAME COMMAND...: runs COMMAND, records NAME as ok or failed with its output.
step() {
  local name="$1" out; shift
  if out="$("$@" 2>&1)"; then
    printf '%s\tok\t\n' "$name" >>"$RESULTS"
  else
    # One TSV line: tabs become spaces, newlines the two characters \n (k8s-check.py restores them).
    printf '%s\tfail\t%s\n' "$name" "$(printf '%s' "$out" | head -c 4000 | tr '\t' ' ' | awk '{ printf "%s\\n", $0 }')" >>"$RESULTS"
  fi
}

rejects() { # rejects COMMAND...: succeeds when COMMAND fails
  if "$@" >/dev/null 2>&1; then echo "accepted: $*"; return 1; fi
}

render() { # render OUT ARGS...: helm template into OUT
  local out="$1"; shift
  "$BIN/helm" template "$@" >"$out"
}

# drift: the base's generated files are exactly those the chart renders now.
drift() {
  local f rc=0
  for f in "$WORK/base"/*.yaml; do
    diff -u "$BASE/$(basename "$f")" "$f" || rc=1
  done
  for f in "$BASE"/*.yaml; do
    if grep -q '^# Generated from deploy/helm/telecom-gateway' "$f" && [ ! -e "$WORK/base/$(basename "$f")" ]; then
      echo "$f is no longer rendered by the chart"; rc=1
    fi
  done
  [ "$rc" -eq 0 ] || echo "deploy/k8s is out of date: run scripts/k8s-validate.sh --write-base"
  return "$rc"
}

step "helm lint (default values)" "$BIN/helm" lint --strict "$CHART"
step "helm lint (all options)" "$BIN/helm" lint --strict "$CHART" -f "$CHART/ci/all-options-values.yaml"
step "helm template (default values)" render "$WORK/chart-default.yaml" gateway "$CHART"
step "helm template (all options)" render "$WORK/chart-all-options.yaml" gateway "$CHART" -f "$CHART/ci/all-options-values.yaml"
step "helm template (kustomize base values)" render "$WORK/base.yaml" gateway "$CHART" --namespace gateway -f "$ROOT_DIR/deploy/helm/base-values.yaml"
"$BIN/k8s-python" "$ROOT_DIR/scripts/k8s-check.py" split "$WORK/base.yaml" "$WORK/base"
if [ "$WRITE_BASE" -eq 1 ]; then
  # Generated files the chart no longer renders go too; hand-kept ones (no header) stay.
  grep -l '^# Generated from deploy/helm/telecom-gateway' "$BASE"/*.yaml | xargs -r rm -f
  cp "$WORK/base"/*.yaml "$BASE/"
  echo "wrote $(ls "$WORK/base" | tr '\n' ' ')to deploy/k8s" >&2
fi
step "kustomize base in sync with the chart" drift
# values.schema.json rejects a misspelt setting instead of ignoring it.
step "helm rejects an unknown value (kafka.tls.enable)" rejects "$BIN/helm" template gateway "$CHART" --set kafka.tls.enable=true

JUNIT="$WORK/k8s.xml"
if [ -n "${RESULTS_DIR:-}" ]; then mkdir -p "$RESULTS_DIR" && JUNIT="$RESULTS_DIR/k8s.xml"; fi
"$BIN/k8s-python" "$ROOT_DIR/scripts/k8s-check.py" check --junit "$JUNIT" --results "$RESULTS" \
  --set "chart-default=$WORK/chart-default.yaml" \
  --set "chart-all-options=$WORK/chart-all-options.yaml" \
  --set "kustomize-base=$BASE" \
  --expect-fail "unknown-field:schema=$ROOT_DIR/deploy/test/unknown-field.yaml" \
  --expect-fail "unhardened:container security context=$ROOT_DIR/deploy/test/unhardened.yaml"
