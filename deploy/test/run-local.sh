#!/usr/bin/env bash
# Test of scripts/run-local, the README's start command (issue 9, item 1):
#   1. starts it on free ports with a fresh data folder (embedded H2 and MQTT broker),
#   2. waits until it says the system is running, then until an Observation that the simulator
#      published (SpO2 of the first demo patient) can be read from the FHIR server,
#   3. checks that a second run-local on the same FHIR port fails at once with a clear message,
#   4. sends SIGINT (Ctrl-C) and checks that run-local exits and that every process it started
#      is gone and every port it opened is closed.
# Needs the jars (mvn -B verify or package first) and ../shared/data (BIDMC, MIT-BIH).
# Prints "N passed, N failed"; exit 1 on any failure.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }

for jar in fhir-server/target/fhir-server.jar device-gateway/target/device-gateway.jar cds-hooks/target/cds-hooks.jar; do
  [ -f "$jar" ] || { echo "run-local test: $jar is missing: build first (mvn -B -DskipTests package)" >&2; exit 1; }
done
shared="${VITALS_SHARED_DATA:-$root/../shared/data}"
[ -d "$shared/bidmc" ] || { echo "run-local test: no BIDMC data at $shared/bidmc (VITALS_SHARED_DATA)" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  while true; do
    p=$((20000 + RANDOM % 40000))
    port_open "$p" || { echo "$p"; return; }
  done
}
fhir_port=$(free_port)
gw_port=$(free_port)
cds_port=$(free_port)
mqtt_port=$(free_port)
mllp_port=$(free_port)
data="$(mktemp -d /tmp/vitals-run-local-test.XXXXXX)"
out="$data/run-local.out"
timeout_s="${VITALS_RUN_LOCAL_TEST_TIMEOUT:-900}"

# Job control: run-local gets its own process group and keeps SIGINT (background jobs of a
# non-interactive shell would ignore it), as it would in a terminal.
set -m
env -u VITALS_DB_URL -u VITALS_MQTT_URL -u SERVER_PORT \
  VITALS_DATA_DIR="$data" VITALS_FHIR_PORT="$fhir_port" VITALS_GATEWAY_PORT="$gw_port" \
  VITALS_CDS_PORT="$cds_port" VITALS_MQTT_EMBEDDED_PORT="$mqtt_port" VITALS_MLLP_PORT="$mllp_port" \
  VITALS_SIM_PATIENTS=3 VITALS_SIM_ECG=off VITALS_SHARED_DATA="$shared" \
  scripts/run-local >"$out" 2>&1 &
rl=$!
set +m
echo "run-local test: pid $rl, FHIR :$fhir_port, gateway :$gw_port, CDS :$cds_port, MQTT :$mqtt_port, data $data"

cleanup() {
  # Only if the test itself failed half-way: stop what run-local started, by pid.
  if kill -0 "$rl" 2>/dev/null; then
    kill -TERM "$rl" 2>/dev/null
    for _ in $(seq 1 120); do kill -0 "$rl" 2>/dev/null || break; sleep 0.5; done
  fi
  if [ -f "$data/run-local.pids" ]; then
    while read -r _ pid; do kill -KILL "$pid" 2>/dev/null; done <"$data/run-local.pids"
  fi
}
trap cleanup EXIT

# 1-2: running, then an Observation from the simulator.
start=$SECONDS
until grep -q "Vitals is running" "$out"; do
  if ! kill -0 "$rl" 2>/dev/null; then
    cat "$out"
    bad "run-local exited before the system was up"
    echo "$passed passed, $failed failed"
    exit 1
  fi
  if [ $((SECONDS - start)) -gt "$timeout_s" ]; then
    cat "$out"
    bad "run-local did not report the system running within $timeout_s s"
    echo "$passed passed, $failed failed"
    exit 1
  fi
  sleep 2
done
ok "run-local reports the system running after $((SECONDS - start)) s"
cat "$out"

pids=()
while read -r name pid; do pids+=("$pid"); echo "run-local test: $name pid $pid"; done <"$data/run-local.pids"
[ "${#pids[@]}" -eq 4 ] && ok "four processes started (FHIR server, gateway, CDS services, simulator)" ||
  bad "expected 4 processes in run-local.pids, found ${#pids[@]}"

for want in "http://localhost:$fhir_port/fhir" "/apps/doctor/" "/apps/patient/" "http://localhost:$cds_port/cds-services" \
  "http://localhost:$gw_port/actuator/health" "dr.okafor" "ana.silva"; do
  grep -q -F "$want" "$out" && ok "prints $want" || bad "does not print $want"
done

security=$(sed -n 's/^  security  *\([a-z]*\).*/\1/p' "$out")
token=""
if [ "$security" = on ]; then
  token=$(java deploy/tools/BackendToken.java "http://localhost:$fhir_port/fhir" vitals-cds \
    "$data/security/clients/vitals-cds.private.jwk.json" "system/Observation.rs")
fi
auth=()
[ -n "$token" ] && auth=(-H "Authorization: Bearer $token")
total=0
for _ in $(seq 1 60); do
  total=$(curl -s -m 30 "${auth[@]}" -H 'Accept: application/fhir+json' \
    "http://localhost:$fhir_port/fhir/Observation?subject=Patient/vitals-demo-ana-silva&code=http://loinc.org%7C2708-6&_summary=count" |
    sed -n 's/.*"total":\([0-9]*\).*/\1/p')
  [ -n "$total" ] && [ "$total" -gt 0 ] && break
  sleep 2
done
[ -n "$total" ] && [ "$total" -gt 0 ] &&
  ok "the FHIR server has $total SpO2 Observations of Patient/vitals-demo-ana-silva from the simulator (security $security)" ||
  bad "no simulated SpO2 Observation reached the FHIR server (security $security)"

# 3: a second instance on the same FHIR port fails at once, naming the port and the setting.
second=$(VITALS_DATA_DIR="$data/second" VITALS_FHIR_PORT="$fhir_port" VITALS_GATEWAY_PORT="$(free_port)" \
  VITALS_CDS_PORT="$(free_port)" VITALS_MQTT_EMBEDDED_PORT="$(free_port)" scripts/run-local 2>&1)
rc=$?
if [ "$rc" -ne 0 ] && grep -q "port $fhir_port (FHIR server) is in use" <<<"$second" && grep -q VITALS_FHIR_PORT <<<"$second"; then
  ok "a taken port fails clearly: $second"
else
  bad "a second run-local on port $fhir_port: exit $rc, '$second'"
fi

# 4: Ctrl-C stops everything.
kill -INT "$rl"
stopped=false
for _ in $(seq 1 240); do
  kill -0 "$rl" 2>/dev/null || { stopped=true; break; }
  sleep 0.5
done
if $stopped; then
  wait "$rl"
  rc=$?
  [ "$rc" -eq 130 ] && ok "run-local exits 130 after SIGINT" || bad "run-local exit status after SIGINT: $rc (expected 130)"
else
  bad "run-local still runs 120 s after SIGINT"
fi
alive=()
for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
[ "${#alive[@]}" -eq 0 ] && ok "no process of run-local is left" || bad "processes left after SIGINT: ${alive[*]}"
open=()
for p in "$fhir_port" "$gw_port" "$cds_port" "$mqtt_port"; do port_open "$p" && open+=("$p"); done
[ "${#open[@]}" -eq 0 ] && ok "every port is closed again" || bad "ports still open: ${open[*]}"
grep -q "fhir-server stopped" "$out" && ok "run-local reports the FHIR server stopped" || bad "no stop report in the output"
tail -n 6 "$out"

echo "run-local test: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && rm -rf "$data"
[ "$failed" -eq 0 ]
