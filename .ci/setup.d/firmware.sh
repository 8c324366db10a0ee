#!/usr/bin/env bash
# Installs what firmware/test.sh needs on a fresh Debian (bookworm) machine. Idempotent:
# packages already present are not fetched again.
#   cmake, gcc      host build of the C core and its tests (CTest); xxd for fuzz seeds
#   libcmocka-dev   the C unit-test framework (cmocka)
#   clang, libclang-rt-14-dev
#                   libFuzzer fuzz target (clang -fsanitize=fuzzer,address,undefined)
#   arduino-mk, arduino-core-avr, gcc-avr, avr-libc, binutils-avr
#                   the AVR build of the Uno sketch with Debian's Arduino.mk (no downloads)
#   simavr          runs the AVR cycle benchmark (the Uno's real-time budget)
set -euo pipefail

packages=(cmake make gcc xxd libcmocka-dev clang libclang-rt-14-dev arduino-mk arduino-core-avr gcc-avr avr-libc binutils-avr simavr)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "firmware setup: all packages present"
  exit 0
fi

echo "firmware setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
