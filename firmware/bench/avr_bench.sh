#!/usr/bin/env bash
# Measures the Uno ECG node's per-sample cost in CPU cycles on a simulated ATmega328P
# (simavr), on 20 s of MIT-BIH record 101, and checks it fits the 250 Hz sampling period.
# Cycle counts are deterministic (no wall-clock time). Prints a figures line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fw="$(dirname "$here")"
out="${1:-$fw/../build/firmware/avr-bench}"
data="${VITALS_SHARED_DATA:-$fw/../../shared/data}"
mkdir -p "$out"
src="$fw/lib/VitalsCore/src"
gcc -std=c99 -O2 -I"$fw/tests" "$here/make_excerpt.c" "$fw/tests/wfdb.c" -o "$out/make_excerpt"
"$out/make_excerpt" "$data/mitdb" 101 20 >"$out/ecg_excerpt.h"
avr-gcc -mmcu=atmega328p -DF_CPU=16000000UL -Os -std=gnu99 -DVT_QRS_MAX_FS=250 \
  -ffunction-sections -fdata-sections -Wl,--gc-sections -Wall -Wextra \
  -I"$src" -I"$out" "$here/avr_ecg_cycles.c" "$src"/*.c -lm -o "$out/avr_ecg_cycles.elf"
line="$(timeout 600 simavr -m atmega328p -f 16000000 "$out/avr_ecg_cycles.elf" 2>&1 | tr -d '\033' | grep -o 'avr-bench.*' | head -1)"
if [ -z "$line" ]; then
  echo "avr-bench: no output from simavr" >&2
  exit 1
fi
echo "$line"
mean=$(sed -n 's/.*mean_cycles=\([0-9]*\).*/\1/p' <<<"$line")
max=$(sed -n 's/.*max_cycles=\([0-9]*\).*/\1/p' <<<"$line")
echo "avr-bench: mean $((mean * 250 * 100 / 16000000)).$(((mean * 250 * 1000 / 16000000) % 10)) % of a 16 MHz ATmega328P at 250 Hz; worst sample $((max * 100 / 64000)) % of its 4 ms period"
if [ "$max" -ge 64000 ]; then
  echo "avr-bench: a sample took $max cycles, over the 64,000 of one 250 Hz period" >&2
  exit 1
fi
