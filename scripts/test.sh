#!/usr/bin/env bash
# The one test command (README, CI): installs what is missing, checks types and style, runs every test.
# Tests start their own PostgreSQL clusters and nats-servers on free ports in temporary directories.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-packages.sh test
bun install --frozen-lockfile
bun x tsc --noEmit -p .
bun x biome check .
# The harness must never touch this machine: its host name is the canary (namespaced tests set their own).
hostname_before=$(cat /proc/sys/kernel/hostname)
# Integration tests start real servers; the slowest (a 30 s outage) needs minutes, not the default 5 s.
status=0
report=$(mktemp -t infra-junit-XXXXXX.xml)
trap 'rm -f "$report"' EXIT
bun test --timeout 240000 --reporter=junit --reporter-outfile="$report" "$@" || status=$?
# A CI log may be kept by its tail only: repeat each failure's error after the summary.
if [ "$status" -ne 0 ] && [ -s "$report" ]; then bun scripts/lib/failure-digest.ts "$report" || true; fi
hostname_after=$(cat /proc/sys/kernel/hostname)
if [ "$hostname_after" != "$hostname_before" ]; then
  echo "test harness changed this machine's host name: $hostname_before -> $hostname_after" >&2
  exit 1
fi
exit "$status"
