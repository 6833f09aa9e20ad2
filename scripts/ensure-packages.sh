#!/usr/bin/env bash
# Installs the Debian packages that are missing, for one of two purposes:
#   ensure-packages.sh stack   what `bun run up` runs on: PostgreSQL, nats-server, runuser, openssl
#   ensure-packages.sh test    the above plus what the test suite needs (`bun run test`): podman,
#                              OpenSSH, shellcheck, curl, sudo, smartmontools, strace, ... (see below)
# `up` installs only its own: openssh-server, for one, starts an SSH daemon on a normal Debian machine.
# Only the distribution's packages (and, when its nats-server is too old, Debian's newer one unpacked
# into .local/: scripts/ensure-nats-server.sh).
set -euo pipefail

purpose=${1:-}
case $purpose in
stack | test) ;;
*)
  echo "usage: ensure-packages.sh stack|test" >&2
  exit 2
  ;;
esac

missing=()
# --- the stack (bun run up) ---
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] || missing+=(nats-server)
command -v runuser >/dev/null || missing+=(util-linux)
# The site certificate (collector HTTPS, NATS TLS) is issued with openssl.
command -v openssl >/dev/null || missing+=(openssl)

if [ "$purpose" = test ]; then
  command -v ip >/dev/null || missing+=(iproute2)
  # podman serves the Docker Engine API for the docker domain's tests; busybox-static is their image.
  command -v podman >/dev/null || missing+=(podman)
  # sshd and ssh-keygen: the MCP server's SSH executor is tested against a real sshd on loopback.
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  command -v ssh-keygen >/dev/null || missing+=(openssh-client)
  # deploy/ tests: shellcheck on the installer; the installer run in a namespace needs curl, ps, sudo and
  # smartctl (its smartctl sudo rule is exercised), and systemd-analyze verifies the units.
  command -v shellcheck >/dev/null || missing+=(shellcheck)
  command -v curl >/dev/null || missing+=(curl)
  command -v ps >/dev/null || missing+=(procps)
  command -v sudo >/dev/null || missing+=(sudo)
  [ -x /usr/sbin/smartctl ] || missing+=(smartmontools)
  # strace: the installer test checks that the enrollment token is in no process's argv (every execve).
  command -v strace >/dev/null || missing+=(strace)
  command -v systemd-analyze >/dev/null || missing+=(systemd)
  dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q "ok installed" || missing+=(busybox-static)
fi

install_missing() {
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}" >&2
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ "$purpose" = test ]; then
    # sshd's privilege-separation directory; no systemd here to create it (ENVIRONMENT.md).
    "${sudo[@]}" mkdir -p /run/sshd
  fi
}

install_missing
# A nats-server hosts cannot crash (2.9.15+), from Debian's newer release when the distribution's is older.
bash "$(dirname "$0")/ensure-nats-server.sh"
