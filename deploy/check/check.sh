#!/usr/bin/env bash
# Validates the deployment files without a cluster or a Docker engine: renders the Kustomize
# overlays (kubectl kustomize) and validates every object against the Kubernetes schemas
# (kubernetes-models from npm, strict about unknown fields), checks the project's rules for them,
# docker-compose.yml and the Dockerfiles (their build step is CI's Maven command). A few seconds.
# Needs what .ci/setup.d/deploy.sh installs: kubectl (or KUSTOMIZE="kustomize build"), Node.js,
# and `npm ci` in deploy/check.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root/deploy/check"

if [ -z "${KUSTOMIZE:-}" ] && ! command -v kubectl >/dev/null 2>&1; then
  echo "deploy check: no kubectl to render the Kustomize overlays; run: bash .ci/setup.d/deploy.sh" >&2
  exit 1
fi
command -v node >/dev/null 2>&1 || { echo "deploy check: node is missing; run: bash .ci/setup.d/deploy.sh" >&2; exit 1; }
if [ ! -d node_modules/kubernetes-models ] || [ ! -d node_modules/yaml ]; then
  echo "deploy check: installing the validator (npm ci in deploy/check)"
  npm ci --no-audit --no-fund --loglevel=error
fi
bash -n "$root/scripts/run-local" "$root/scripts/start"
exec node validate.mjs "$root"
