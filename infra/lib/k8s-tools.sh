#!/usr/bin/env bash
# shellcheck shell=bash
# Kubernetes tooling for scripts/k8s-validate.sh, installed once under .state/k8s-tools:
#   helm                 built from the Go module proxy with the machine's Go
#                        (GOMODCACHE/GOCACHE under .state so nothing lands in $HOME);
#   kubernetes-validate  from PyPI in a virtualenv; it ships the Kubernetes JSON
#                        schemas, so validation needs no network.
# Idempotent: a tool that is already installed at the pinned version is kept.
#
# Usage: bash infra/lib/k8s-tools.sh [helm|validator|all]   (prints the bin dir)
#        . infra/lib/k8s-tools.sh; k8s_tools_ensure all

K8S_TOOLS_REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
K8S_TOOLS_DIR="${K8S_TOOLS_DIR:-$K8S_TOOLS_REPO_DIR/.state/k8s-tools}"
K8S_TOOLS_BIN="$K8S_TOOLS_DIR/bin"
HELM_MODULE="helm.sh/helm/v4/cmd/helm"
HELM_VERSION="${HELM_VERSION:-v4.3.2}"
KUBERNETES_VALIDATE_VERSION="${KUBERNETES_VALIDATE_VERSION:-1.37.0}"

_k8s_tools_log() { printf '[k8s-tools] %s\n' "$*" >&2; }

# k8s_tools_helm: build helm $HELM_VERSION into $K8S_TOOLS_BIN/helm unless it is there.
k8s_tools_helm() {
  local stamp="$K8S_TOOLS_DIR/helm.version"
  if [ -x "$K8S_TOOLS_BIN/helm" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$HELM_VERSION" ]; then
    return 0
  fi
  command -v go >/dev/null 2>&1 || { _k8s_tools_log "go is required to build helm"; return 1; }
  mkdir -p "$K8S_TOOLS_BIN" "$K8S_TOOLS_DIR/gomodcache" "$K8S_TOOLS_DIR/gocache"
  _k8s_tools_log "building helm $HELM_VERSION from the Go module proxy (several minutes, once)"
  local start; start="$(date +%s)"
  # nice: the build shares the machine with the running stack.
  GOMODCACHE="$K8S_TOOLS_DIR/gomodcache" GOCACHE="$K8S_TOOLS_DIR/gocache" \
    GOBIN="$K8S_TOOLS_BIN" GOFLAGS="-buildvcs=false -modcacherw" CGO_ENABLED=0 \
    nice -n 10 go install "$HELM_MODULE@$HELM_VERSION" || return 1
  printf '%s' "$HELM_VERSION" >"$stamp"
  # The sources and build cache (about 1.7 GB) are not needed to run helm, and test runners that
  # crawl the work tree would walk them.
  rm -rf "$K8S_TOOLS_DIR/gomodcache" "$K8S_TOOLS_DIR/gocache"
  _k8s_tools_log "helm $HELM_VERSION built in $(($(date +%s) - start))s"
}

# k8s_tools_validator: kubernetes-validate in a virtualenv, linked as $K8S_TOOLS_BIN/kubernetes-validate.
k8s_tools_validator() {
  local venv="$K8S_TOOLS_DIR/venv"
  if [ -x "$venv/bin/kubernetes-validate" ] &&
    "$venv/bin/python" -c "import importlib.metadata as m,sys; sys.exit(m.version('kubernetes-validate') != '$KUBERNETES_VALIDATE_VERSION')" 2>/dev/null; then
    _k8s_tools_link_validator "$venv"
    return 0
  fi
  mkdir -p "$K8S_TOOLS_BIN"
  _k8s_tools_log "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION into $venv"
  python3 -m venv "$venv" || return 1
  "$venv/bin/pip" install -q --disable-pip-version-check \
    "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" || return 1
  _k8s_tools_link_validator "$venv"
}

# _k8s_tools_link_validator VENV: the validator's CLI, and k8s-python (the virtualenv's Python,
# through a wrapper: a symlink to it would not find the virtualenv).
_k8s_tools_link_validator() {
  ln -sf "$1/bin/kubernetes-validate" "$K8S_TOOLS_BIN/kubernetes-validate"
  printf '#!/bin/sh\nexec "%s/bin/python" "$@"\n' "$1" >"$K8S_TOOLS_BIN/k8s-python"
  chmod +x "$K8S_TOOLS_BIN/k8s-python"
}

# k8s_tools_ensure helm|validator|all: install what is missing; prints the bin dir.
k8s_tools_ensure() {
  case "${1:-all}" in
    helm) k8s_tools_helm ;;
    validator) k8s_tools_validator ;;
    all) k8s_tools_validator && k8s_tools_helm ;;
    *) _k8s_tools_log "unknown tool: $1"; return 2 ;;
  esac || return 1
  printf '%s\n' "$K8S_TOOLS_BIN"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  k8s_tools_ensure "${1:-all}"
fi
