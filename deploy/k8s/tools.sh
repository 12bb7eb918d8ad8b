#!/usr/bin/env bash
# Installs the two tools that render and validate deploy/k8s/ offline, once, into a cache directory (K8S_TOOLS):
# kustomize from the Go module proxy (needs go) and kubernetes-validate, which ships the Kubernetes API schemas, from
# PyPI into a virtualenv (needs python3). Prints the directory. `make k8s` and `make test-k8s` look there first.
set -euo pipefail

KUSTOMIZE_VERSION=v5.8.1
KUBERNETES_VALIDATE_VERSION=1.37.0
tools=${K8S_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/kafka-webshop/k8s-tools}
mkdir -p "$tools/bin"

if [[ "$("$tools/bin/kustomize" version 2>/dev/null)" != "$KUSTOMIZE_VERSION" ]]; then
  go=$(command -v go || echo /usr/local/go/bin/go)
  [[ -x $go ]] || { echo "go is needed to install kustomize (sigs.k8s.io/kustomize/kustomize/v5)" >&2; exit 1; }
  echo "installing kustomize $KUSTOMIZE_VERSION into $tools/bin" >&2
  GOBIN="$tools/bin" GOFLAGS=-buildvcs=false "$go" install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
fi

if [[ "$("$tools/venv/bin/kubernetes-validate" --version 2>/dev/null)" != "$KUBERNETES_VALIDATE_VERSION" ]]; then
  command -v python3 >/dev/null || { echo "python3 is needed to install kubernetes-validate" >&2; exit 1; }
  echo "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION into $tools/venv" >&2
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
fi

echo "$tools"
