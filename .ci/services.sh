#!/usr/bin/env bash
# Starts (or checks) the local services the tests talk to: PostgreSQL at 127.0.0.1:5432 and
# Mosquitto at 127.0.0.1:1883. Idempotent; the start commands are the machine's own.
set -uo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local name=$1 port=$2
  for _ in $(seq 1 30); do
    port_open "$port" && { echo "services: $name is up on 127.0.0.1:$port"; return 0; }
    sleep 1
  done
  echo "services: $name did not come up on 127.0.0.1:$port" >&2
  return 1
}

if ! port_open 5432; then
  echo "services: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
wait_for PostgreSQL 5432 || exit 1

if ! port_open 1883; then
  echo "services: starting Mosquitto"
  mosquitto -d -c /etc/mosquitto/mosquitto.conf || true
fi
wait_for Mosquitto 1883 || exit 1
