#!/bin/sh
# Installs, upgrades or removes the Infrastructor agent on one Linux host (Debian/Ubuntu, Fedora, Arch,
# Alpine, or anything with a POSIX sh). Served by the collector at /install.sh:
#
#   curl --pinnedpubkey sha256//PIN -kfsS https://COLLECTOR:9101/install.sh | sudo sh   (asks for the token)
#   sudo sh install.sh --token-file FILE                (or reads it from a file)
#
# (the collector prints this line with its certificate's pin: `-k` lets a self-signed certificate through,
# the pin then accepts only that certificate's key, and this script re-uses the pin for every download
# and for the enrollment.)
#
# The token never goes on a command line (any local user can read every process's argv): it is read
# from a file or the terminal and sent to the collector in a request body from a 0600 file.
# Downloads the agent for this CPU and checks its SHA-256, enrolls (POST /api/enroll: the token and this
# host's name, arch and OS in; the agent's config and NATS credentials out), creates the system user
# `infrastructor`, and runs the agent under systemd, OpenRC, or a small supervisor of its own.
# Running it again upgrades in place; --uninstall removes what it installed, and only that (listed in
# /etc/infrastructor/installed). See deploy/README.md.
set -eu

# The collector that served this script writes its own URL here.
DEFAULT_COLLECTOR=''
# ... and, over HTTPS, its certificate's public-key pin (curl --pinnedpubkey), which this script came through.
DEFAULT_PIN=''

AGENT_USER=infrastructor
BIN=/usr/local/bin/infrastructor-agent
LIBDIR=/usr/local/lib/infrastructor
SUPERVISE=$LIBDIR/infrastructor-agent-supervise
ETC=/etc/infrastructor
CONFIG=$ETC/agent.json
CREDS=$ETC/agent.creds
NATS_CA=$ETC/nats-ca.pem
MANIFEST=$ETC/installed
STATE=/var/lib/infrastructor
LOGDIR=/var/log/infrastructor
PIDFILE=/run/infrastructor-agent.pid
UNIT=/etc/systemd/system/infrastructor-agent.service
DROPIN_DIR=/etc/systemd/system/infrastructor-agent.service.d
DROPIN=$DROPIN_DIR/smartctl-sudo.conf
OPENRC=/etc/init.d/infrastructor-agent
SUDOERS=/etc/sudoers.d/infrastructor-agent
LIBEXEC=/usr/local/libexec/infrastructor
SMARTCTL_READ=$LIBEXEC/smartctl-read
SERVICE=infrastructor-agent

usage() {
	if [ -n "$DEFAULT_PIN" ]; then
		echo "curl --pinnedpubkey $DEFAULT_PIN -kfsS $DEFAULT_COLLECTOR/install.sh | sudo sh"
	fi
	cat <<'EOF'
usage: install.sh [options]
  --token-file FILE      enroll with the enrollment token in FILE (first install, or to re-enroll);
                         without it, a first install asks for the token on the terminal
  --token T              the same, from the command line: deprecated, every local user can read it
  --replace              with a token: take over a host name that is already enrolled (its earlier
                         NATS key is revoked; refused without this flag)
  --collector URL        the collector, e.g. https://hub.lan:9101 (default: the one that served this script)
  --pin sha256//B64      the collector certificate's public-key pin, checked on every download and on
                         enrollment (default: the pin of the collector that served this script)
  --binary FILE          install this agent binary instead of downloading it
  --sha256 HEX           the binary's expected SHA-256 (default: the one the collector publishes)
  --no-enroll            do not enroll; use --config FILE (and --creds FILE) prepared elsewhere
  --config FILE          agent.json to install (with --no-enroll)
  --creds FILE           NATS credentials to install (with --no-enroll)
  --hostname NAME        the host name to enroll as (default: this machine's, first label, lower case)
  --init systemd|openrc|plain   how to run the agent (default: detected)
  --rollback             put back the previous binary (infrastructor-agent.prev) and restart
  --uninstall            stop the agent and remove everything this script installed
  -h, --help             this text
EOF
}

die() {
	echo "install.sh: error: $*" >&2
	exit 1
}
say() { echo "install.sh: $*"; }
warn() { echo "install.sh: warning: $*" >&2; }

# --- arguments ---------------------------------------------------------------------------------------
ACTION=install
TOKEN=''
TOKEN_FILE=''
COLLECTOR=''
PIN=''
BINARY_FILE=''
SHA256=''
NO_ENROLL=0
REPLACE=0
CONFIG_FILE=''
CREDS_FILE=''
HOST_NAME=''
INIT=''

while [ $# -gt 0 ]; do
	opt=$1
	case $opt in
	--*=*)
		value=${opt#*=}
		opt=${opt%%=*}
		shift
		set -- "$opt" "$value" "$@"
		continue
		;;
	esac
	case $opt in
	--token | --token-file | --collector | --pin | --binary | --sha256 | --config | --creds | --hostname | --init)
		[ $# -ge 2 ] || die "$opt needs a value"
		value=$2
		shift 2
		case $opt in
		--token) TOKEN=$value && warn "--token puts the token in the process list; use --token-file FILE" ;;
		--token-file) TOKEN_FILE=$value ;;
		--collector) COLLECTOR=$value ;;
		--pin) PIN=$value ;;
		--binary) BINARY_FILE=$value ;;
		--sha256) SHA256=$value ;;
		--config) CONFIG_FILE=$value ;;
		--creds) CREDS_FILE=$value ;;
		--hostname) HOST_NAME=$value ;;
		--init) INIT=$value ;;
		esac
		;;
	--no-enroll) NO_ENROLL=1 && shift ;;
	--replace) REPLACE=1 && shift ;;
	--rollback) ACTION=rollback && shift ;;
	--uninstall) ACTION=uninstall && shift ;;
	-h | --help) usage && exit 0 ;;
	*) usage >&2 && die "unknown option: $opt" ;;
	esac
done

# Every value that reaches a file, a URL or a request is held to a strict pattern first.
case $TOKEN in *[!A-Za-z0-9_-]*) die "--token: not an enrollment token (letters, digits, _ and - only)" ;; esac
case $SHA256 in *[!0-9a-f]*) die "--sha256: 64 lower-case hex digits expected" ;; esac
[ -z "$SHA256" ] || [ ${#SHA256} -eq 64 ] || die "--sha256: 64 lower-case hex digits expected"
case $INIT in '' | systemd | openrc | plain) ;; *) die "--init: systemd, openrc or plain" ;; esac
[ -n "$COLLECTOR" ] || COLLECTOR=$DEFAULT_COLLECTOR
COLLECTOR=${COLLECTOR%/}
if [ -n "$COLLECTOR" ]; then
	case $COLLECTOR in http://?* | https://?*) ;; *) die "--collector: http(s)://host[:port] expected" ;; esac
	case ${COLLECTOR#*://} in *[!]A-Za-z0-9.:[-]*) die "--collector: http(s)://host[:port] expected, no path" ;; esac
fi
[ -z "$TOKEN" ] || [ -z "$TOKEN_FILE" ] || die "--token and --token-file exclude each other"
[ "$NO_ENROLL" -eq 0 ] || [ -z "$TOKEN$TOKEN_FILE" ] || die "--token and --no-enroll exclude each other"
[ "$NO_ENROLL" -eq 1 ] || [ -z "$CONFIG_FILE$CREDS_FILE" ] || die "--config and --creds go with --no-enroll"

[ "$(id -u)" -eq 0 ] || die "run as root (curl ... .../install.sh | sudo sh)"

# --- the enrollment token ----------------------------------------------------------------------------
# From --token-file, or typed on the terminal (not echoed): with `curl ... | sudo sh` stdin is the script
# itself, but /dev/tty is still the operator's. Only shell builtins see the token; it reaches the
# collector inside a 0600 request file (http_post), never on a command line.
read_token() {
	if [ -n "$TOKEN_FILE" ]; then
		[ -f "$TOKEN_FILE" ] || die "--token-file $TOKEN_FILE: no such file"
		[ -r "$TOKEN_FILE" ] || die "--token-file $TOKEN_FILE: cannot read it"
		IFS= read -r TOKEN <"$TOKEN_FILE" || true
		[ -n "$TOKEN" ] || die "--token-file $TOKEN_FILE: the first line is empty"
	elif [ -z "$TOKEN" ] && [ "$ACTION" = install ] && [ "$NO_ENROLL" -eq 0 ] && [ ! -f "$CONFIG" ] &&
		(: </dev/tty) 2>/dev/null; then # a subshell: a failed redirection of `:` ends the shell
		printf 'enrollment token (from the collector; not shown): ' >/dev/tty
		stty -echo </dev/tty 2>/dev/null && TTY_SILENT=1
		IFS= read -r TOKEN </dev/tty || true
		stty echo </dev/tty 2>/dev/null && TTY_SILENT=0
		printf '\n' >/dev/tty
	fi
	# A token pasted from Windows or with a trailing blank: only the pattern's characters count.
	TOKEN=${TOKEN%"${TOKEN##*[A-Za-z0-9_-]}"}
	case $TOKEN in *[!A-Za-z0-9_-]*) die "the enrollment token has characters other than letters, digits, _ and -" ;; esac
}

# --- TLS -------------------------------------------------------------------------------------------
# A pin (given, or the one of the collector that served this script, for that collector only) holds every
# request to the certificate whose public key it names: a machine in the middle with any other
# certificate, even one a public CA signed, gets no request and serves no byte that is used.
check_pin() {
	if [ -z "$PIN" ] && [ -n "$DEFAULT_PIN" ] && [ "$COLLECTOR" = "$DEFAULT_COLLECTOR" ]; then
		PIN=$DEFAULT_PIN
	fi
	[ -n "$PIN" ] || return 0
	case $PIN in sha256//*) ;; *) die "--pin: sha256//<base64 of the SHA-256 of the public key> expected" ;; esac
	b64=${PIN#sha256//}
	case $b64 in *[!A-Za-z0-9+/=]*) die "--pin: sha256//<base64> expected" ;; esac
	[ ${#b64} -eq 44 ] || die "--pin: sha256//<44 base64 characters> expected"
	case $COLLECTOR in https://*) ;; *) die "--pin needs an https:// collector" ;; esac
}

# curl, held to the pin when there is one (-k: the certificate may be self-signed; the pin is the check).
curl_pinned() {
	if [ -n "$PIN" ]; then
		curl --proto =https --pinnedpubkey "$PIN" -k "$@"
	else
		curl "$@"
	fi
}

# wget cannot pin a key: it is used only where no pin is asked for.
wget_unpinned() {
	[ -z "$PIN" ] || die "the collector's certificate is pinned and only curl can check a pin: install curl"
	wget "$@"
}

# --- what this host is -------------------------------------------------------------------------------
detect_arch() {
	case $(uname -m) in
	x86_64 | amd64) echo x64 ;;
	aarch64 | arm64) echo arm64 ;;
	*) die "no agent build for CPU $(uname -m) (there are x86_64 and aarch64)" ;;
	esac
}

detect_init() {
	if [ -n "$INIT" ]; then
		echo "$INIT"
	# sd_booted()'s own test: this directory exists only when systemd is PID 1.
	elif [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
		echo systemd
	elif command -v openrc-run >/dev/null 2>&1 && command -v rc-service >/dev/null 2>&1; then
		echo openrc
	else
		echo plain
	fi
}

detect_os() {
	os=$(sed -n 's/^ID=//p' /etc/os-release 2>/dev/null | tr -d '"' | head -n 1)
	case $os in '' | *[!a-z0-9._-]*) echo linux ;; *) echo "$os" ;; esac
}

detect_host() {
	name=${HOST_NAME:-$(uname -n)}
	name=$(echo "${name%%.*}" | tr '[:upper:]' '[:lower:]')
	case $name in '' | [!a-z0-9]* | *[!a-z0-9_-]*) die "host name '$name' is not a DNS label; use --hostname NAME" ;; esac
	[ ${#name} -le 63 ] || die "host name longer than 63 characters; use --hostname NAME"
	echo "$name"
}

# --- small tools -------------------------------------------------------------------------------------
sha256_of() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d ' ' -f 1
	elif command -v busybox >/dev/null 2>&1; then
		busybox sha256sum "$1" | cut -d ' ' -f 1
	else
		die "need sha256sum (coreutils or busybox) to verify the agent"
	fi
}

# GET $1 into file $2.
http_get() {
	if command -v curl >/dev/null 2>&1; then
		curl_pinned -fsS --retry 2 -o "$2" "$1" || die "cannot download $1"
	elif command -v wget >/dev/null 2>&1; then
		wget_unpinned -q -O "$2" "$1" || die "cannot download $1"
	else
		die "need curl or wget"
	fi
}

# POST the JSON file $2 to $1, the answer into file $3; prints the HTTP status.
http_post() {
	if command -v curl >/dev/null 2>&1; then
		curl_pinned -sS -o "$3" -w '%{http_code}' -H 'Content-Type: application/json' -H 'Accept: text/plain' \
			--data-binary "@$2" "$1" || echo 000
	elif command -v wget >/dev/null 2>&1; then
		if wget_unpinned -q -O "$3" --header='Content-Type: application/json' --header='Accept: text/plain' \
			--post-file="$2" "$1" 2>"$3.err"; then
			echo 200
		else
			# busybox and GNU wget both name the status in their error ("... HTTP/1.1 409 Conflict").
			status=$(sed -n 's/.*HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' "$3.err" | head -n 1)
			echo "${status:-000}"
		fi
		rm -f "$3.err"
	else
		die "need curl or wget"
	fi
}

# Records something this script created, so --uninstall removes it and nothing else.
record() {
	grep -qxF "$1" "$MANIFEST" 2>/dev/null || echo "$1" >>"$MANIFEST"
}

# Temp files and directories of this run, removed on any exit (a refused enrollment, a failed download,
# ^C): `tracked PATH` adds one. Paths come from mktemp under fixed directories: no blanks.
TEMPS=''
TTY_SILENT=0
tracked() { TEMPS="$TEMPS $1"; }
cleanup() {
	for path in $TEMPS; do rm -rf -- "$path"; done
	# ^C at the token prompt: give the terminal its echo back.
	[ "$TTY_SILENT" -eq 0 ] || stty echo </dev/tty 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Creates the directory $1 (mode $2, owner $3, group $4) with `install -d`, in one step, unless it is
# there. A directory that is already there is left exactly as it is (its owner and mode are not ours to
# change); a symbolic link in its place is refused. Only used where the parent is root's, so nobody can
# swap the path between the check and the creation.
make_dir() {
	[ ! -L "$1" ] || die "refused: $1 is a symbolic link (to $(readlink -- "$1")); remove it and run again"
	[ ! -d "$1" ] || return 0
	[ ! -e "$1" ] || die "refused: $1 exists and is not a directory"
	install -d -o "$3" -g "$4" -m "$2" -- "$1"
	record "dir $1"
}

# Writes stdin to $1 through a temp file in the same directory (a rename is atomic, and replaces a
# symbolic link rather than following it), mode $2, owner $3. Only into root's directories.
# Callers redirect from a file, or pipe from printf: a failure of any other writer in a pipe would go
# unnoticed and leave an empty file.
install_file() {
	tmp=$(mktemp "$1.XXXXXX")
	tracked "$tmp"
	cat >"$tmp"
	chown "$3" "$tmp"
	chmod "$2" "$tmp"
	mv -f "$tmp" "$1"
	record "file $1"
}

# The service files travel inside this script (the collector splices them in); run from a checkout,
# the script reads them beside itself.
SELF_DIR=$(dirname -- "$0")
embedded() {
	case $1 in
	systemd/infrastructor-agent.service)
		cat <<'INFRA_EMBED_EOF'
@@embed systemd/infrastructor-agent.service@@
INFRA_EMBED_EOF
		;;
	systemd/smartctl-sudo.conf)
		cat <<'INFRA_EMBED_EOF'
@@embed systemd/smartctl-sudo.conf@@
INFRA_EMBED_EOF
		;;
	openrc/infrastructor-agent)
		cat <<'INFRA_EMBED_EOF'
@@embed openrc/infrastructor-agent@@
INFRA_EMBED_EOF
		;;
	supervise/infrastructor-agent-supervise)
		cat <<'INFRA_EMBED_EOF'
@@embed supervise/infrastructor-agent-supervise@@
INFRA_EMBED_EOF
		;;
	smart/smartctl-read)
		cat <<'INFRA_EMBED_EOF'
@@embed smart/smartctl-read@@
INFRA_EMBED_EOF
		;;
	esac
}
# Prints a service file's text: embedded, or beside this script in a checkout.
service_text() {
	text=$(embedded "$1")
	case $text in
	@@embed*)
		[ -f "$SELF_DIR/$1" ] || die "$1 is neither embedded nor beside this script"
		cat "$SELF_DIR/$1"
		;;
	*) printf '%s\n' "$text" ;;
	esac
}
deploy_file() { # name destination mode
	src=$(mktemp)
	tracked "$src"
	service_text "$1" >"$src"
	install_file "$2" "$3" root:root <"$src"
}

# --- the service -------------------------------------------------------------------------------------
plain_running() {
	[ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

stop_plain() {
	plain_running || return 0
	pid=$(cat "$PIDFILE")
	kill -TERM "$pid" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 60 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	kill -0 "$pid" 2>/dev/null && die "the agent's supervisor ($pid) did not stop"
	rm -f "$PIDFILE"
}

# The plain supervisor runs as root, and root opens its log for appending: so the log directory is
# root's (the agent's group may read it) and the agent cannot plant anything there. An earlier
# install.sh made it the agent's: it is taken back, and whatever the agent's user left in place of the
# log (a symbolic link, a hard link, a FIFO, a file of its own) is moved aside, never opened.
plain_log_dir() {
	make_dir "$LOGDIR" 0750 root "$AGENT_USER"
	if [ "$(stat -c %u -- "$LOGDIR")" != 0 ]; then
		chown -h "root:$AGENT_USER" -- "$LOGDIR"
		chmod 0750 -- "$LOGDIR"
		say "$LOGDIR belonged to $AGENT_USER; it is root's now (the agent's group reads it)"
	fi
	log=$LOGDIR/agent.log
	if [ -L "$log" ] || { [ -e "$log" ] && { [ ! -f "$log" ] || [ "$(stat -c %u:%h -- "$log")" != 0:1 ]; }; }; then
		aside=$log.refused.$(date +%s)
		say "refused: $(ls -ld -- "$log") is not root's own file: not opened, moved to $aside"
		mv -f -- "$log" "$aside"
	fi
}

start_plain() {
	plain_log_dir
	if command -v setsid >/dev/null 2>&1; then
		setsid "$SUPERVISE" </dev/null >>"$LOGDIR/agent.log" 2>&1 &
	else
		nohup "$SUPERVISE" </dev/null >>"$LOGDIR/agent.log" 2>&1 &
	fi
	i=0
	while ! plain_running && [ $i -lt 20 ]; do
		sleep 0.25
		i=$((i + 1))
	done
	plain_running || die "the agent's supervisor did not start; see $LOGDIR/agent.log"
}

install_service() { # init smart_sudo(0|1)
	case $1 in
	systemd)
		deploy_file systemd/infrastructor-agent.service "$UNIT" 0644
		if [ "$2" -eq 1 ]; then
			make_dir "$DROPIN_DIR" 0755 root root
			deploy_file systemd/smartctl-sudo.conf "$DROPIN" 0644
		elif [ -f "$DROPIN" ]; then
			rm -f "$DROPIN"
		fi
		systemctl daemon-reload
		systemctl enable "$SERVICE.service"
		systemctl restart "$SERVICE.service"
		;;
	openrc)
		deploy_file openrc/infrastructor-agent "$OPENRC" 0755
		rc-update add "$SERVICE" default
		rc-service "$SERVICE" restart
		;;
	plain)
		make_dir "$LIBDIR" 0755 root root
		deploy_file supervise/infrastructor-agent-supervise "$SUPERVISE" 0755
		stop_plain
		start_plain
		;;
	esac
}

restart_service() {
	case $1 in
	systemd) systemctl restart "$SERVICE.service" ;;
	openrc) rc-service "$SERVICE" restart ;;
	plain) stop_plain && start_plain ;;
	esac
}

how_to_check() {
	say "installed: $BIN (config $CONFIG), running under $1 as user $AGENT_USER"
	case $1 in
	systemd) say "check: systemctl status $SERVICE; journalctl -u $SERVICE -f" ;;
	openrc) say "check: rc-service $SERVICE status; tail -f $LOGDIR/agent.log" ;;
	plain) say "check: kill -0 \$(cat $PIDFILE) && tail -f $LOGDIR/agent.log (not started at boot: no init system found)" ;;
	esac
	say "what it sends: $BIN --once --config $CONFIG"
}

# --- the agent's directories -------------------------------------------------------------------------
# The agent's user owns its state directory (and, under OpenRC, its log directory): whatever is inside
# is its to plant (a link to /etc/shadow in place of the spool, a log file that is /etc/sudoers.d/x).
# Root creates these directories when they are missing, in root's /var/lib and /var/log, and never
# looks inside, changes, opens or writes anything in them. Under systemd, StateDirectory= makes
# /var/lib/infrastructor (the agent makes its spool inside); the plain supervisor's log is root's.
agent_dirs() { # init
	case $1 in
	systemd) record "dir $STATE" ;; # systemd creates it; --uninstall removes it
	*) make_dir "$STATE" 0750 "$AGENT_USER" "$AGENT_USER" ;;
	esac
	# supervise-daemon opens output_log after it has become the agent's user.
	[ "$1" != openrc ] || make_dir "$LOGDIR" 0750 "$AGENT_USER" "$AGENT_USER"
	[ "$1" != plain ] || plain_log_dir
}

# --- the user ----------------------------------------------------------------------------------------
ensure_user() {
	if ! grep -q "^$AGENT_USER:" /etc/passwd; then
		nologin=$(command -v nologin || echo /bin/false)
		if command -v useradd >/dev/null 2>&1; then
			grep -q "^$AGENT_USER:" /etc/group || { groupadd --system "$AGENT_USER" && record "group $AGENT_USER"; }
			useradd --system --gid "$AGENT_USER" --no-create-home --home-dir "$STATE" --shell "$nologin" "$AGENT_USER"
		elif command -v adduser >/dev/null 2>&1; then # busybox (Alpine)
			grep -q "^$AGENT_USER:" /etc/group || { addgroup -S "$AGENT_USER" && record "group $AGENT_USER"; }
			adduser -S -D -H -h "$STATE" -s "$nologin" -G "$AGENT_USER" "$AGENT_USER"
		else
			die "need useradd or adduser to create the user $AGENT_USER"
		fi
		record "user $AGENT_USER"
	fi
	# Read access the domains need: containers, the journal, syslog files, VMs.
	for group in docker systemd-journal adm libvirt; do
		grep -q "^$group:" /etc/group || continue
		id -nG "$AGENT_USER" | tr ' ' '\n' | grep -qx "$group" && continue
		if command -v usermod >/dev/null 2>&1; then
			usermod -a -G "$group" "$AGENT_USER"
		else
			addgroup "$AGENT_USER" "$group"
		fi
		say "added $AGENT_USER to the group $group"
	done
}

# A sudo rule for smartctl's read commands only, when sudo, visudo and smartctl are all here. Prints
# smartctl's path when the rule (for the wrapper around it) is, or will be, in place.
smartctl_for_sudo() {
	command -v sudo >/dev/null 2>&1 && command -v visudo >/dev/null 2>&1 || return 0
	path=$(command -v smartctl 2>/dev/null) || return 0
	case $path in /*) ;; *) return 0 ;; esac
	case $path in *[!A-Za-z0-9._/-]*) return 0 ;; esac
	echo "$path"
}

# The sudo rule names one command, the root-owned wrapper $SMARTCTL_READ, and no arguments: sudo's
# argument wildcards match across words (`-d * /dev/*` let `-s off` and `-t long` through), so the
# wrapper is what holds smartctl to the agent's read commands (deploy/smart/smartctl-read).
install_sudo_rule() { # smartctl path
	make_dir "$(dirname "$LIBEXEC")" 0755 root root
	make_dir "$LIBEXEC" 0755 root root
	wrapper=$(mktemp)
	tracked "$wrapper"
	service_text smart/smartctl-read >"$wrapper"
	# $1 passed smartctl_for_sudo's pattern: no | or & to confuse sed.
	sed -i "s|^SMARTCTL=@SMARTCTL@\$|SMARTCTL=$1|" "$wrapper"
	grep -qx "SMARTCTL=$1" "$wrapper" || die "smart/smartctl-read has no SMARTCTL=@SMARTCTL@ line"
	install_file "$SMARTCTL_READ" 0755 root:root <"$wrapper"
	rule=$(mktemp)
	tracked "$rule"
	cat >"$rule" <<EOF
# Installed by the Infrastructor install.sh: the agent may run smartctl's read commands as root, through
# $SMARTCTL_READ, which refuses every other argument.
Defaults:$AGENT_USER !requiretty
$AGENT_USER ALL=(root) NOPASSWD: $SMARTCTL_READ
EOF
	visudo -c -q -f "$rule" >/dev/null || die "visudo refused the smartctl rule"
	make_dir /etc/sudoers.d 0750 root root
	install_file "$SUDOERS" 0440 root:root <"$rule"
}

# --- binary ------------------------------------------------------------------------------------------
# Puts a verified copy of the agent beside $BIN as a temp file, named in $NEW_BIN. Not run in a
# command substitution: a failure there would leave the temp file behind, unknown to the trap.
fetch_binary() { # arch
	new=$(mktemp "$BIN.new.XXXXXX")
	tracked "$new"
	NEW_BIN=$new
	if [ -n "$BINARY_FILE" ]; then
		[ -f "$BINARY_FILE" ] || die "--binary $BINARY_FILE: no such file"
		cp "$BINARY_FILE" "$new"
	else
		[ -n "$COLLECTOR" ] || die "--collector URL is needed to download the agent"
		say "downloading $COLLECTOR/agent/linux-$1" >&2
		http_get "$COLLECTOR/agent/linux-$1" "$new"
	fi
	expected=$SHA256
	if [ -z "$expected" ]; then
		[ -n "$COLLECTOR" ] || die "--sha256 HEX or --collector URL is needed to verify the agent"
		tracked "$new.sha256"
		http_get "$COLLECTOR/agent/linux-$1.sha256" "$new.sha256"
		expected=$(cut -d ' ' -f 1 "$new.sha256")
		rm -f "$new.sha256"
	fi
	actual=$(sha256_of "$new")
	[ "$actual" = "$expected" ] || die "the agent binary's SHA-256 is $actual, expected $expected: not installed"
	chmod 0755 "$new"
}

# Replaces $BIN by the verified file $1 in one rename, keeping the running one as $BIN.prev.
swap_binary() {
	if [ -f "$BIN" ]; then
		if [ "$(sha256_of "$BIN")" = "$(sha256_of "$1")" ]; then
			rm -f "$1"
			say "agent binary unchanged"
			return 0
		fi
		ln -f "$BIN" "$BIN.prev"
		record "file $BIN.prev"
	fi
	mv -f "$1" "$BIN"
	record "file $BIN"
}

# --- enrollment --------------------------------------------------------------------------------------
enroll() { # host arch os smartctl_path -> writes $CONFIG and $CREDS
	[ -n "$COLLECTOR" ] || die "--collector URL is needed to enroll"
	work=$(mktemp -d)
	tracked "$work"
	smart=''
	[ -z "$4" ] || smart=$(printf ',"smartctl_path":"%s"' "$4")
	replace=''
	[ "$REPLACE" -eq 0 ] || replace=',"replace":true'
	# Every value here passed a pattern without quotes or backslashes: this is valid JSON.
	printf '{"token":"%s","hostname":"%s","arch":"%s","os":"%s"%s%s}\n' "$TOKEN" "$1" "$2" "$3" "$smart" "$replace" >"$work/request.json"
	status=$(http_post "$COLLECTOR/api/enroll" "$work/request.json" "$work/answer")
	if [ "$status" != 200 ]; then
		code=$(sed -n 's/.*"code":"\([A-Z_]*\)".*/\1/p' "$work/answer" 2>/dev/null | head -n 1)
		message=$(sed -n 's/.*"message":"\([^"]*\)".*/\1/p' "$work/answer" 2>/dev/null | head -n 1)
		die "enrollment refused (HTTP $status${code:+ $code}): ${message:-see the collector log}"
	fi
	[ "$(head -n 1 "$work/answer")" = "infrastructor-enroll 1" ] || die "the collector's enrollment answer is not understood"
	field "$work/answer" config >"$work/agent.json"
	install_file "$CONFIG" 0640 "root:$AGENT_USER" <"$work/agent.json"
	if grep -q '^creds ' "$work/answer"; then
		field "$work/answer" creds >"$work/agent.creds"
		install_file "$CREDS" 0640 "root:$AGENT_USER" <"$work/agent.creds"
	else
		rm -f "$CREDS"
	fi
	if grep -q '^ca ' "$work/answer"; then
		# The CA the agent verifies NATS with (tls://): public, but only root may change it.
		field "$work/answer" ca >"$work/nats-ca.pem"
		install_file "$NATS_CA" 0644 root:root <"$work/nats-ca.pem"
	else
		rm -f "$NATS_CA"
	fi
	field "$work/answer" message >"$work/message"
	say "$(cat "$work/message")"
}

# A base64 field of the enrollment answer, decoded.
field() {
	value=$(sed -n "s/^$2 //p" "$1" | head -n 1)
	case $value in '' | *[!A-Za-z0-9+/=]*) die "the enrollment answer has no valid $2" ;; esac
	printf '%s' "$value" | base64 -d
}

# --- actions -----------------------------------------------------------------------------------------
do_install() {
	arch=$(detect_arch)
	init=$(detect_init)
	host=$(detect_host)
	os=$(detect_os)
	read_token
	if [ -z "$TOKEN" ] && [ "$NO_ENROLL" -eq 0 ] && [ ! -f "$CONFIG" ]; then
		die "first install: give --token-file FILE, or run it on a terminal to type the token (from the collector: bun collector/src/cli.ts enroll-token create)"
	fi
	if [ "$NO_ENROLL" -eq 1 ]; then
		[ -n "$CONFIG_FILE" ] || die "--no-enroll needs --config FILE"
		[ -f "$CONFIG_FILE" ] || die "--config $CONFIG_FILE: no such file"
		[ -z "$CREDS_FILE" ] || [ -f "$CREDS_FILE" ] || die "--creds $CREDS_FILE: no such file"
	fi
	[ "$init" != systemd ] || command -v systemctl >/dev/null 2>&1 || die "--init systemd: no systemctl"
	[ "$init" != openrc ] || command -v rc-service >/dev/null 2>&1 || die "--init openrc: no rc-service"
	say "host $host, $os, linux-$arch, service: $init"

	make_dir "$ETC" 0755 root root
	fetch_binary "$arch"
	ensure_user
	agent_dirs "$init"
	smartctl=$(smartctl_for_sudo)
	if [ -n "$TOKEN" ]; then
		# The agent runs smartctl as `sudo -n $SMARTCTL_READ ...`, the one command the rule allows.
		enroll "$host" "$arch" "$os" "${smartctl:+$SMARTCTL_READ}"
	elif [ "$NO_ENROLL" -eq 1 ]; then
		install_file "$CONFIG" 0640 "root:$AGENT_USER" <"$CONFIG_FILE"
		[ -z "$CREDS_FILE" ] || install_file "$CREDS" 0640 "root:$AGENT_USER" <"$CREDS_FILE"
	else
		say "keeping $CONFIG (upgrade)"
	fi
	smart_sudo=0
	if [ -n "$smartctl" ]; then
		install_sudo_rule "$smartctl"
		smart_sudo=1
	fi
	swap_binary "$NEW_BIN"
	NEW_BIN=''
	install_service "$init" "$smart_sudo"
	how_to_check "$init"
}

installed_init() {
	if [ -f "$UNIT" ]; then echo systemd; elif [ -f "$OPENRC" ]; then echo openrc; else echo plain; fi
}

do_rollback() {
	[ -f "$BIN.prev" ] || die "no previous agent binary ($BIN.prev) to roll back to"
	mv -f "$BIN.prev" "$BIN"
	init=$(installed_init)
	restart_service "$init"
	say "rolled back to the previous agent binary; restarted ($init)"
}

delete_user() {
	if command -v userdel >/dev/null 2>&1; then userdel "$AGENT_USER"; else deluser "$AGENT_USER"; fi
}

do_uninstall() {
	[ -f "$MANIFEST" ] || {
		say "nothing to remove: no $MANIFEST (install.sh did not install the agent here)"
		exit 0
	}
	if [ -f "$UNIT" ] && command -v systemctl >/dev/null 2>&1; then
		systemctl disable --now "$SERVICE.service" || true
	fi
	if [ -f "$OPENRC" ] && command -v rc-service >/dev/null 2>&1; then
		rc-service "$SERVICE" stop || true
		rc-update del "$SERVICE" default || true
	fi
	stop_plain
	# Files first, newest record last to go; then directories, deepest first; then the user.
	sed -n 's/^file //p' "$MANIFEST" | while IFS= read -r path; do rm -f "$path"; done
	rm -f "$BIN.prev"
	for dir in "$STATE" "$LOGDIR"; do
		if grep -qxF "dir $dir" "$MANIFEST"; then rm -rf "$dir"; fi
	done
	sed -n 's/^dir //p' "$MANIFEST" | sort -r | while IFS= read -r dir; do rmdir "$dir" 2>/dev/null || true; done
	if grep -qxF "user $AGENT_USER" "$MANIFEST"; then
		# userdel refuses while a process of the user runs: the agent's last children (a smartctl
		# through sudo) may take a moment to go after their parent stopped.
		i=0
		while ! delete_user 2>/dev/null && [ $i -lt 40 ]; do
			sleep 0.25
			i=$((i + 1))
		done
		[ $i -lt 40 ] || delete_user
	fi
	if grep -qxF "group $AGENT_USER" "$MANIFEST" && grep -q "^$AGENT_USER:" /etc/group; then
		if command -v groupdel >/dev/null 2>&1; then groupdel "$AGENT_USER"; else delgroup "$AGENT_USER"; fi
	fi
	[ ! -d /run/systemd/system ] || ! command -v systemctl >/dev/null 2>&1 || systemctl daemon-reload || true
	rm -f "$MANIFEST"
	rmdir "$ETC" 2>/dev/null || true
	say "removed the Infrastructor agent"
}

NEW_BIN=''
check_pin
case $ACTION in
install) do_install ;;
rollback) do_rollback ;;
uninstall) do_uninstall ;;
esac
