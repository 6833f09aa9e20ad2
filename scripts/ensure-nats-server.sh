#!/usr/bin/env bash
# Makes sure a nats-server of at least 2.9.15 is at hand for the local stack and the tests.
#
# Why: hosts publish from an account of their own, through a service import into the JetStream account
# (collector/src/nats-auth/account-jwt.ts). Servers before 2.9.15 crash on a wildcard reply subject
# routed through a service import (fixed upstream in 2.9.15), so on them any enrolled host could stop
# NATS with one message. Debian 12 ships 2.9.10; Debian 13 ships 2.10.
#
# When the distribution's nats-server is too old, Debian 13's package is downloaded from the Debian
# mirror this machine already uses and unpacked into .local/nats-server/ (a static Go binary that only
# needs libc). Nothing is installed into the system and the machine's apt configuration is not changed:
# the package lists for Debian 13 go to a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."

MIN_VERSION=2.9.15
DEST=.local/nats-server
NEWER_SUITE=trixie

version_of() { "$1" --version 2>/dev/null | sed -n 's/^nats-server: v//p'; }
at_least_min() { [ -n "$1" ] && [ "$(printf '%s\n%s\n' "$MIN_VERSION" "$1" | sort -V | head -n1)" = "$MIN_VERSION" ]; }

if [ -x "$DEST/usr/sbin/nats-server" ] && at_least_min "$(version_of "$DEST/usr/sbin/nats-server")"; then
  exit 0
fi
for candidate in /usr/sbin/nats-server /usr/bin/nats-server /usr/local/bin/nats-server; do
  if [ -x "$candidate" ] && at_least_min "$(version_of "$candidate")"; then exit 0; fi
done

# The Debian archive this machine is configured with (deb822 .sources or one-line sources.list).
mirror=$(
  {
    sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null || true
    sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\2/p' /etc/apt/sources.list 2>/dev/null || true
  } | tr ' ' '\n' | { grep -E '/debian/?$' || true; } | sed -n 1p
)
if [ -z "$mirror" ]; then
  # Not fatal: the stack still runs, and the collector warns at start that hosts could crash this server.
  echo "warning: nats-server $MIN_VERSION or later is needed (an enrolled host can crash older ones) and" >&2
  echo "no Debian mirror is configured here: install a newer nats-server as /usr/local/bin/nats-server" >&2
  exit 0
fi

echo "nats-server is older than $MIN_VERSION: fetching Debian $NEWER_SUITE's package into $DEST" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work" # apt's download user must be able to write the .deb here
mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
echo "deb $mirror $NEWER_SUITE main" >"$work/sources.list"
apt_opts=(
  -o "Dir::Etc::sourcelist=$work/sources.list"
  -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache"
  -o "APT::Get::List-Cleanup=0"
  -o "Debug::NoLocking=1"
)
apt-get "${apt_opts[@]}" -qq update >/dev/null
(cd "$work" && apt-get "${apt_opts[@]}" -qq download nats-server >/dev/null 2>&1)
deb=$(ls "$work"/nats-server_*.deb)
rm -rf "$DEST.new"
mkdir -p "$DEST.new"
dpkg-deb -x "$deb" "$DEST.new"
fetched=$(version_of "$DEST.new/usr/sbin/nats-server")
if ! at_least_min "$fetched"; then
  echo "Debian $NEWER_SUITE's nats-server is $fetched, still older than $MIN_VERSION" >&2
  exit 1
fi
rm -rf "$DEST"
mv "$DEST.new" "$DEST"
echo "nats-server $fetched in $DEST" >&2
