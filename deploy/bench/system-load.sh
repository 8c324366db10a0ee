#!/usr/bin/env bash
# Whole-system cost per reading, for the capacity model in docs/scaling.md: runs scripts/run-local
# on a fresh PostgreSQL database (127.0.0.1:5432) with N simulated patients (1-Hz SpO2, pulse,
# heart and respiratory rate; temperature every 30 s; BP and glucose every 60 s; no ECG), lets it
# warm up, then measures over a window:
#   readings committed per second (the gateway's vitals.gateway.readings{stage=written}),
#   CPU milliseconds per committed reading of the FHIR server, the gateway, the CDS services (with
#   the monitor evaluating every Observation), the simulator and the PostgreSQL backends of the
#   database (from /proc), and the database's growth in bytes per stored Observation.
# Loopback only, bounded in time; stops everything at the end.
#
# usage: deploy/bench/system-load.sh [patients=50] [seconds=120] [warm-up seconds=90]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
patients="${1:-50}"
window="${2:-120}"
warm="${3:-90}"
pg_host="${VITALS_TEST_PG_HOST:-127.0.0.1}"
pg_user="${VITALS_TEST_PG_USER:-postgres}"
db="vitals_system_bench_$$"
psqlc() { psql -h "$pg_host" -U "$pg_user" -d "$db" -At -c "$1"; }

command -v psql >/dev/null || { echo "system-load: psql is needed" >&2; exit 1; }
createdb -h "$pg_host" -U "$pg_user" "$db" || { echo "system-load: cannot create database $db on $pg_host" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p; while true; do p=$((20000 + RANDOM % 40000)); port_open "$p" || { echo "$p"; return; }; done; }
fhir_port=$(free_port)
gw_port=$(free_port)
data="$(mktemp -d /tmp/vitals-system-load.XXXXXX)"

set -m
VITALS_DATA_DIR="$data" VITALS_FHIR_PORT="$fhir_port" VITALS_GATEWAY_PORT="$gw_port" \
  VITALS_CDS_PORT="$(free_port)" VITALS_MQTT_EMBEDDED_PORT="$(free_port)" VITALS_MLLP_PORT="$(free_port)" \
  VITALS_DB_URL="jdbc:postgresql://$pg_host:5432/$db" VITALS_DB_USER="$pg_user" VITALS_DB_PASSWORD="" \
  VITALS_SIM_PATIENTS="$patients" VITALS_SIM_ECG=off VITALS_SIM_SCENARIO=none \
  scripts/run-local >"$data/run-local.out" 2>&1 &
rl=$!
set +m
finish() {
  kill -INT "$rl" 2>/dev/null
  wait "$rl" 2>/dev/null
  dropdb -h "$pg_host" -U "$pg_user" "$db" 2>/dev/null
}
trap finish EXIT

until grep -q "Vitals is running" "$data/run-local.out" 2>/dev/null; do
  kill -0 "$rl" 2>/dev/null || { cat "$data/run-local.out"; echo "system-load: run-local exited" >&2; exit 1; }
  sleep 3
done
security=$(sed -n 's/^  security  *\([a-z]*\).*/\1/p' "$data/run-local.out")
echo "system-load: $patients patients running (security $security); warming up ${warm} s"
sleep "$warm"

declare -A pid_of=()
while read -r name pid; do pid_of[$name]=$pid; done <"$data/run-local.pids"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
  local sum=0 p
  for p in $(psqlc "select pid from pg_stat_activity where datname = '$db'"); do
    sum=$((sum + $(ticks "$p")))
  done
  echo "$sum"
}
written() {
  curl -s -m 10 "http://127.0.0.1:$gw_port/actuator/metrics/vitals.gateway.readings?tag=stage:written" |
    sed -n 's/.*"statistic":"COUNT","value":\([0-9.E]*\).*/\1/p' | awk '{printf "%d", $1}'
}
observations() { psqlc "select count(*) from hfj_resource where res_type = 'Observation'"; }
dbsize() { psqlc "select pg_database_size('$db')"; }

sample() { # prefix
  local n
  for n in fhir-server device-gateway cds-hooks simulator; do eval "${1}_${n//-/_}=\$(ticks ${pid_of[$n]})"; done
  eval "${1}_pg=\$(pg_ticks)"
  eval "${1}_written=\$(written)"
  eval "${1}_obs=\$(observations)"
  eval "${1}_size=\$(dbsize)"
  eval "${1}_t=\$(date +%s.%N)"
}
sample a
echo "system-load: measuring for ${window} s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
sleep "$window"
sample b

echo "resources by type at the end:"
psqlc "select res_type, count(*) from hfj_resource group by res_type order by 2 desc limit 8" | sed 's/^/  /'
echo "largest tables (with indexes) at the end:"
psqlc "select relname, pg_size_pretty(pg_total_relation_size(c.oid)) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' order by pg_total_relation_size(c.oid) desc limit 10" | sed 's/^/  /'
hz=$(getconf CLK_TCK)
for v in t written obs size fhir_server device_gateway cds_hooks simulator pg; do
  eval "echo \"raw \$v: \$a_$v -> \$b_$v\""
done
awk -v p="$patients" -v hz="$hz" -v t0="$a_t" -v t1="$b_t" \
  -v w0="$a_written" -v w1="$b_written" -v o0="$a_obs" -v o1="$b_obs" -v s0="$a_size" -v s1="$b_size" \
  -v f0="$a_fhir_server" -v f1="$b_fhir_server" -v g0="$a_device_gateway" -v g1="$b_device_gateway" \
  -v c0="$a_cds_hooks" -v c1="$b_cds_hooks" -v m0="$a_simulator" -v m1="$b_simulator" \
  -v q0="$a_pg" -v q1="$b_pg" -v la="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  dt = t1 - t0; w = w1 - w0; o = o1 - o0
  printf "patients %d, window %.0f s, load average at the end %s\n", p, dt, la
  printf "readings committed: %d (%.1f/s; offered about %.1f/s); Observations stored: %d (%.1f/s)\n", w, w / dt, p * 4.067, o, o / dt
  if (w <= 0) { print "no reading committed in the window"; exit 1 }
  ms = 1000 / hz / w
  printf "CPU ms per committed reading: fhir-server %.2f, PostgreSQL %.2f, device-gateway %.2f, cds-hooks (monitor) %.2f, simulator %.2f; total without the simulator %.2f\n",
    (f1 - f0) * ms, (q1 - q0) * ms, (g1 - g0) * ms, (c1 - c0) * ms, (m1 - m0) * ms, ((f1 - f0) + (q1 - q0) + (g1 - g0) + (c1 - c0)) * ms
  if (o > 0) printf "database growth: %.0f bytes per stored Observation (%d bytes for %d)\n", (s1 - s0) / o, s1 - s0, o
}'
