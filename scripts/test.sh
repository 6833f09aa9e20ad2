#!/usr/bin/env bash
# The one test command (README, CI): installs what is missing, checks types and style, runs every test.
# Tests start their own PostgreSQL clusters and nats-servers on free ports in temporary directories.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-packages.sh
bun install --frozen-lockfile
bun x tsc --noEmit -p .
bun x biome check .
# Integration tests start real servers; the slowest (a 30 s outage) needs minutes, not the default 5 s.
bun test --timeout 240000 "$@"
