#!/usr/bin/env bash
# Deployment checks (deploy/check/check.sh, issue 9): a Kustomize renderer and the Kubernetes
# schema validator. Idempotent: installs only what is missing.
#   kubectl            renders the overlays (`kubectl kustomize`); Debian's kubernetes-client
#                      when the machine has no kubectl
#   nodejs, npm        only when missing
#   deploy/check/node_modules   kubernetes-models and yaml from npm (package-lock.json)
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=()
command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [ "${#packages[@]}" -gt 0 ]; then
  echo "deploy setup: installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

if [ ! -d deploy/check/node_modules/kubernetes-models ] || [ deploy/check/package-lock.json -nt deploy/check/node_modules ]; then
  (cd deploy/check && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "deploy setup: $(command -v kubectl), node $(node --version), validator in deploy/check/node_modules"
