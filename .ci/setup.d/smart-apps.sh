#!/usr/bin/env bash
# Installs what the smart-apps build and browser tests need on a fresh Debian (bookworm) machine.
# Idempotent: packages already present are not fetched again.
#   chromium          headless browser driven by playwright-core (never a downloaded browser)
#   nodejs, npm       only when missing: the build runs `npm ci` and `npm run build`
#   fonts-dejavu-core readable text in the screenshots
set -euo pipefail

packages=(chromium fonts-dejavu-core)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "smart-apps setup: all packages present"
  exit 0
fi

echo "smart-apps setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
