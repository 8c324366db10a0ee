#!/usr/bin/env bash
# Builds and runs everything the firmware promises, and exits non-zero on any failure:
#   1. the host tests (CMake + CTest, gcc -Wall -Wextra -Werror, ASan + UBSan, cmocka),
#      including R-peak detection on MIT-BIH and PPG on BIDMC from the shared data;
#   2. the libFuzzer target over the decoders for a fixed time (VT_FUZZ_SECONDS, default 60);
#   3. the AVR build of the Uno sketch with Debian's arduino-mk, with a RAM budget check;
#   4. the Uno's per-sample work on real ECG in simavr: every sample within its 4 ms period.
# Needs the packages of .ci/setup.d/firmware.sh. Data: VITALS_SHARED_DATA, default
# ../shared/data beside the checkout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="${VT_FIRMWARE_BUILD:-$root/build/firmware}"
export VITALS_SHARED_DATA="${VITALS_SHARED_DATA:-$root/../shared/data}"
fuzz_seconds="${VT_FUZZ_SECONDS:-60}"
passed=0

if [ ! -f "$VITALS_SHARED_DATA/mitdb/SHA256SUMS" ] || [ ! -f "$VITALS_SHARED_DATA/bidmc/bidmc_01_Signals.csv" ]; then
  echo "firmware: shared data missing: need $VITALS_SHARED_DATA/mitdb and .../bidmc (set VITALS_SHARED_DATA)" >&2
  exit 1
fi

echo "== firmware: host tests (CTest) =="
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure
passed=$((passed + $(ctest --test-dir "$build" -N | sed -n 's/^Total Tests: //p')))

echo "== firmware: fuzzing the decoders for ${fuzz_seconds} s (libFuzzer, ASan, UBSan) =="
src="$here/lib/VitalsCore/src"
clang -g -O1 -std=c99 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all -I"$src" "$here/fuzz/fuzz_decoders.c" "$src"/*.c -lm \
  -o "$build/fuzz_decoders"
corpus="$build/fuzz-corpus"
mkdir -p "$corpus"
# Seeds: every golden frame and BLE payload.
i=0
while IFS=$'\t' read -r frame _; do
  case "$frame" in '#'*|'') continue ;; esac
  printf '%s\n' "$frame" >"$corpus/seed-frame-$i"; i=$((i + 1))
done <"$here/test-vectors/serial-frames.tsv"
while IFS=$'\t' read -r hex _; do
  case "$hex" in '#'*|'') continue ;; esac
  printf '%s' "$hex" | xxd -r -p >"$corpus/seed-gatt-$i"; i=$((i + 1))
done <"$here/test-vectors/gatt-bp.tsv"
"$build/fuzz_decoders" -max_total_time="$fuzz_seconds" -timeout=5 -rss_limit_mb=1024 \
  -print_final_stats=1 "$corpus" 2>"$build/fuzz.log" || { tail -50 "$build/fuzz.log" >&2; exit 1; }
grep -E "^(Done|stat::number_of_executed_units)" "$build/fuzz.log" || true
passed=$((passed + 1))

echo "== firmware: AVR build of the Uno sketch (arduino-mk) =="
avr_obj="$build/avr-uno"
make -s -C "$here/sketches/uno_ecg" OBJDIR="$avr_obj" >"$build/avr.log" 2>&1 || { tail -40 "$build/avr.log" >&2; exit 1; }
elf="$(ls "$avr_obj"/*.elf)"
read -r text data bss _ < <(avr-size "$elf" | tail -1)
ram=$((data + bss))
echo "uno_ecg: flash $((text + data)) of 32256 bytes, static RAM $ram of 2048 bytes"
if [ "$((text + data))" -gt 32256 ] || [ "$ram" -gt 1792 ]; then
  echo "firmware: Uno build over budget (flash <= 32256, static RAM <= 1792 to leave 256 B of stack)" >&2
  exit 1
fi
passed=$((passed + 1))

echo "== firmware: Uno real-time budget in a simulated ATmega328P (simavr) =="
bash "$here/bench/avr_bench.sh" "$build/avr-bench"
passed=$((passed + 1))

echo "firmware: ${passed} passed, 0 failed"
