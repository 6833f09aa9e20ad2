#!/usr/bin/env bash
# Type-checks and lints HEAD as committed (not the shared working tree) in a throwaway worktree.
set -euo pipefail
top=$(git rev-parse --show-toplevel)
wt=$(mktemp -d)
git -C "$top" worktree add --detach -q "$wt" HEAD
trap 'git -C "$top" worktree remove --force "$wt"' EXIT
ln -s "$top/node_modules" "$wt/node_modules"
cd "$wt"
bun x tsc --noEmit -p . && bun x biome check . >/dev/null && echo "HEAD $(git rev-parse --short HEAD): types and lint clean"
