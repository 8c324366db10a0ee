#!/usr/bin/env bash
# device-gateway input adapters (issue 4): the serial tests link two pseudo-terminals with socat
# (a virtual serial cable). Idempotent: installs only what is missing.
set -euo pipefail
if ! command -v socat >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq socat >/dev/null
fi
echo "gateway adapters setup: $(command -v socat)"
