# shellcheck shell=bash
# Shared helpers for script/server and script/test. Source it; do not execute it.
#
# Provides:
#   R2META_ROOT               absolute path of the repository root
#   r2meta_log MSG...         progress line on stderr ("==> MSG")
#   r2meta_warn MSG...        warning on stderr
#   r2meta_die MSG...         error on stderr, exit 1
#   r2meta_dotnet_env         quiet, CI-friendly .NET CLI environment
#   r2meta_require_node       node and npm on PATH (installed with apt-get as root), Node.js >= R2META_NODE_MIN_MAJOR
#   r2meta_check_node_version V   die with a clear message unless `node --version` output V is new enough
#   r2meta_spawn NAME LOG CMD...   start CMD in its own session/process group under
#                             tools/emulators/supervise.js (dies with this script even on
#                             SIGKILL); LOG "-" means inherit stdout/stderr. Sets
#                             R2META_SPAWNED_PID; remembers the group for r2meta_stop_all.
#   r2meta_stop_group PID NAME     TERM the group, wait (10 s), then KILL
#   r2meta_stop_all           stop every group spawned here, newest first
#   r2meta_forget PID         drop a group that has ended and been waited for
#   r2meta_install_traps [FN] on EXIT: r2meta_stop_all, then FN EXIT_CODE; INT/TERM/HUP
#                             exit with 130/143/129 so the EXIT trap runs exactly once

if [[ -n "${_R2META_COMMON_SH:-}" ]]; then return 0; fi
_R2META_COMMON_SH=1

R2META_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
export R2META_ROOT

r2meta_log() { printf '==> %s\n' "$*" >&2; }
r2meta_warn() { printf 'warning: %s\n' "$*" >&2; }
r2meta_die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

r2meta_dotnet_env() {
  export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  export DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1 DOTNET_GENERATE_ASPNET_CERTIFICATE=false
  if [[ "${CI:-}" == "true" ]]; then
    # No MSBuild worker nodes / compiler server left running after a CI run.
    export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false
  fi
  command -v dotnet >/dev/null 2>&1 || r2meta_die "dotnet is not on PATH (the .NET 10 SDK is required)"
}

# Oldest Node.js major the emulators run on. Azurite 3.37's package.json asks for 22, but what it loads
# runs on 20 (its telemetry dependency, applicationinsights, needs 20; tedious, which asks for 22, serves
# only Azurite's SQL persistence, unused here). The test suite runs on 20.
R2META_NODE_MIN_MAJOR=20

# Node.js runs the emulators. Machines of this kind ship it; fall back to Debian's.
r2meta_require_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
      r2meta_log "installing nodejs and npm (apt-get)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm </dev/null >&2 ||
        { apt-get update -q </dev/null >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm </dev/null >&2; } ||
        r2meta_die "could not install nodejs/npm with apt-get"
    else
      r2meta_die "node and npm are required (Node.js $R2META_NODE_MIN_MAJOR or newer)"
    fi
  fi
  r2meta_check_node_version "$(node --version 2>/dev/null || true)"
}

# Dies with a clear message unless $1 (`node --version` output, e.g. v20.11.1) is new enough.
r2meta_check_node_version() {
  local version=$1 major
  major=$(sed -n 's/^v\([0-9][0-9]*\)\..*/\1/p' <<<"$version")
  if [[ -z "$major" ]]; then
    r2meta_die "could not read the Node.js version ('node --version' printed '$version'); Node.js $R2META_NODE_MIN_MAJOR or newer is required"
  fi
  if ((major < R2META_NODE_MIN_MAJOR)); then
    r2meta_die "Node.js $version is too old: the emulators (Azurite 3.37, cosmosdb-server) need Node.js $R2META_NODE_MIN_MAJOR or newer; install a newer Node.js (e.g. from nodejs.org or your distribution) and put it first on PATH"
  fi
}

_R2META_GROUPS=() # "pid:name", in start order

r2meta_spawn() {
  local name=$1 log=$2
  shift 2
  local supervise="$R2META_ROOT/tools/emulators/supervise.js"
  if [[ "$log" == "-" ]]; then
    setsid node "$supervise" "$$" "$@" </dev/null &
  else
    setsid node "$supervise" "$$" "$@" </dev/null >>"$log" 2>&1 &
  fi
  R2META_SPAWNED_PID=$!
  _R2META_GROUPS+=("$R2META_SPAWNED_PID:$name")
}

# True while process group $1 has a member that is not a zombie (our direct child stays
# a zombie until `wait` reaps it, so kill -0 alone cannot tell).
_r2meta_group_running() {
  ps -e -o pgid=,stat= 2>/dev/null | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}

# True while process $1 runs (not a zombie). Not its group: right after r2meta_spawn the child may
# not have called setsid yet, and a busy machine made that look like an exit during startup.
_r2meta_alive() {
  local stat
  stat=$(ps -o stat= -p "$1" 2>/dev/null) && [[ -n "$stat" && "$stat" != Z* ]]
}

r2meta_stop_group() {
  local pid=$1 name=$2
  # Group first (the command and its children); the pid alone if setsid had to fork.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + ${R2META_STOP_TIMEOUT:-10}))
  while _r2meta_group_running "$pid" && ((SECONDS < deadline)); do
    sleep 0.1
  done
  if _r2meta_group_running "$pid"; then
    r2meta_warn "$name did not stop within ${R2META_STOP_TIMEOUT:-10} s; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

r2meta_forget() {
  local pid=$1 i
  for i in "${!_R2META_GROUPS[@]}"; do
    [[ "${_R2META_GROUPS[i]%%:*}" == "$pid" ]] && unset '_R2META_GROUPS[i]'
  done
  _R2META_GROUPS=("${_R2META_GROUPS[@]}")
}

r2meta_stop_all() {
  local i entry
  for ((i = ${#_R2META_GROUPS[@]} - 1; i >= 0; i--)); do
    entry=${_R2META_GROUPS[i]}
    r2meta_stop_group "${entry%%:*}" "${entry#*:}"
  done
  _R2META_GROUPS=()
}

_R2META_EXIT_HOOK=""
_R2META_CLEANED=""
_r2meta_on_exit() {
  local rc=$?
  trap '' INT TERM HUP
  if [[ -z "$_R2META_CLEANED" ]]; then
    _R2META_CLEANED=1
    r2meta_stop_all
    if [[ -n "$_R2META_EXIT_HOOK" ]]; then "$_R2META_EXIT_HOOK" "$rc" || true; fi
  fi
  exit "$rc"
}

r2meta_install_traps() {
  _R2META_EXIT_HOOK=${1:-}
  trap _r2meta_on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
}
