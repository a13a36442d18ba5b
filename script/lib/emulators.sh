# shellcheck shell=bash
# Local stand-ins for Azure Storage and Azure Cosmos DB. Source it (it sources common.sh).
#
#   r2meta_emulators_install   npm ci in tools/emulators when node_modules is missing or
#                              package.json / package-lock.json / patches/ changed (stamp:
#                              tools/emulators/node_modules/.r2meta-install-stamp)
#   r2meta_start_azurite       Azurite blob+queue+table on three free loopback ports, data
#                              in .data/azurite-<run>; exports R2META_STORAGE_CONNECTION;
#                              R2META_AZURITE_IN_MEMORY=1 keeps its data in memory instead
#                              (16 GiB heap; for the 1,000,000-key listing benchmark)
#                              Azurite also serves a second account, r2metacluster2 (AZURITE_ACCOUNTS),
#                              the second metadata cluster's Table Storage; exports
#                              R2META_CLUSTER2_STORAGE_CONNECTION
#   r2meta_start_cosmos        cosmosdb-server on a free loopback port; exports
#                              R2META_COSMOS_ENDPOINT, R2META_COSMOS_KEY,
#                              R2META_COSMOS_ACCEPT_ANY_CERTIFICATE=true,
#                              AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX=true
#   r2meta_start_cosmos second  a second cosmosdb-server (the second metadata cluster);
#                              exports R2META_CLUSTER2_COSMOS_ENDPOINT
#   r2meta_emulators_cleanup RC   delete this run's data and logs (kept after a failure,
#                              i.e. RC not 0/129/130/143, or with R2META_KEEP_DATA=1)
# Processes are stopped by r2meta_stop_all (common.sh), which the traps run.
#
# How cosmosdb-server (npm @vercel/cosmosdb-server 1.0.1) is started:
#   node tools/emulators/cosmos-server.js --host 127.0.0.1 -p PORT
#   - our launcher of the package's HTTPS server with keep-alive connections (its own cli.js,
#     options -p/--port, --host, --no-ssl, answers every request "Connection: close": a new
#     connection and TLS handshake per Cosmos request, which Azure Cosmos DB does not cost).
#   - HTTPS by default, with the self-signed certificate shipped in the package (CN=cosmosdb,
#     no subjectAltName, EXPIRED since 2021-01-28). --no-ssl serves plain HTTP, but the
#     account document (GET /) always advertises https://HOST:PORT/ as read/write
#     location, so the .NET SDK would switch to https anyway: we use HTTPS.
#   - The .NET client must therefore skip certificate validation for this endpoint, e.g.
#     CosmosClientOptions.ServerCertificateCustomValidationCallback = (_, _, _) => true
#     (or an HttpClientFactory whose handler accepts any certificate), ConnectionMode =
#     Gateway. R2MetaSettings does this when R2META_COSMOS_ACCEPT_ANY_CERTIFICATE=true,
#     which r2meta_start_cosmos exports.
#   - State is in memory only: every start is an empty account; the client must create
#     the database and containers (CreateIfNotExists). Any key is accepted (no auth).
#   - The patch in tools/emulators/patches/ makes a point read of a missing id answer
#     404 NotFound instead of 500. tools/emulators/check-cosmos.js verifies it; it runs
#     as the readiness probe after every start. The same patch routes hierarchical (MultiHash)
#     partition keys by every component and accepts bucket-prefix queries on them; the one for
#     @zeit/cosmosdb-query memoizes its parser (the SDK's cross-partition ORDER BY rewrite took minutes).

if [[ -n "${_R2META_EMULATORS_SH:-}" ]]; then return 0; fi
_R2META_EMULATORS_SH=1

# shellcheck source=script/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

R2META_EMULATORS_DIR="$R2META_ROOT/tools/emulators"
R2META_DATA_DIR="$R2META_ROOT/.data"
R2META_RUN_ID="${R2META_RUN_ID:-$(date +%Y%m%d-%H%M%S)-$$}"

# Well-known development credentials (public, identical in every emulator install).
R2META_AZURITE_ACCOUNT="devstoreaccount1"
R2META_AZURITE_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
# The second metadata cluster's storage account on the same Azurite (any base64 key works).
R2META_AZURITE_ACCOUNT2="r2metacluster2"
R2META_AZURITE_KEY2="cjJtZXRhLXNlY29uZC1jbHVzdGVyLWxvY2FsLWtleS0wMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA="
R2META_COSMOS_EMULATOR_KEY="C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nG/9mfJS5CXi0SKsU/fzk/D9TYjvE4HJbvGqpbaQ=="

R2META_STARTUP_TIMEOUT="${R2META_STARTUP_TIMEOUT:-120}" # seconds per emulator

_R2META_RUN_PATHS=() # data dirs and logs of this run

r2meta_emulators_install() {
  r2meta_require_node
  local dir="$R2META_EMULATORS_DIR" stamp="$R2META_EMULATORS_DIR/node_modules/.r2meta-install-stamp"
  local want
  want=$(cd "$dir" && cat package.json package-lock.json patches/*.patch 2>/dev/null | sha256sum | cut -d' ' -f1)
  if [[ -f "$stamp" && "$(<"$stamp")" == "$want" ]]; then return 0; fi
  r2meta_log "installing emulators: npm ci in tools/emulators (about 1-2 minutes)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error </dev/null >&2) ||
    r2meta_die "npm ci in tools/emulators failed"
  [[ -f "$dir/node_modules/azurite/dist/src/azurite.js" ]] || r2meta_die "azurite is missing after npm ci"
  grep -q "r2meta patch" "$dir/node_modules/@vercel/cosmosdb-server/lib/handler/read-document.js" ||
    r2meta_die "the cosmosdb-server patch was not applied (patch-package postinstall)"
  printf '%s\n' "$want" >"$stamp"
}

# Print N distinct free TCP ports on 127.0.0.1, one per line (held open together, then
# released; a start that loses the race is retried with fresh ports).
r2meta_free_ports() {
  node -e '
    const net = require("net");
    const n = parseInt(process.argv[1], 10);
    const servers = [];
    let pending = n;
    for (let i = 0; i < n; i++) {
      const s = net.createServer();
      servers.push(s);
      s.listen(0, "127.0.0.1", () => {
        if (--pending === 0) {
          console.log(servers.map(x => x.address().port).join("\n"));
          servers.forEach(x => x.close());
        }
      });
    }' "$1"
}

r2meta_port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# r2meta_wait_ports PID NAME LOG PORT...: 0 when every port accepts connections; 1 when
# PID exited first or the startup timeout passed.
r2meta_wait_ports() {
  local pid=$1 name=$2 log=$3
  shift 3
  local deadline=$((SECONDS + R2META_STARTUP_TIMEOUT)) port
  for port in "$@"; do
    until r2meta_port_open 127.0.0.1 "$port"; do
      if ! _r2meta_alive "$pid"; then
        r2meta_warn "$name exited during startup; last lines of $log:"
        tail -n 20 "$log" >&2 || true
        return 1
      fi
      if ((SECONDS >= deadline)); then
        r2meta_warn "$name did not accept connections on 127.0.0.1:$port within ${R2META_STARTUP_TIMEOUT}s; last lines of $log:"
        tail -n 20 "$log" >&2 || true
        return 1
      fi
      sleep 0.2
    done
  done
}

r2meta_start_azurite() {
  local azurite="$R2META_EMULATORS_DIR/node_modules/azurite/dist/src/azurite.js"
  [[ -f "$azurite" ]] || r2meta_die "azurite is not installed (run r2meta_emulators_install)"
  mkdir -p "$R2META_DATA_DIR"
  local location="$R2META_DATA_DIR/azurite-$R2META_RUN_ID" log="$R2META_DATA_DIR/azurite-$R2META_RUN_ID.log"
  _R2META_RUN_PATHS+=("$location" "$log")
  local attempt ports pid persistence=(--location "$location") node_args=()
  if [[ "${R2META_AZURITE_IN_MEMORY:-0}" == 1 ]]; then
    # Large benchmarks: on disk, Azurite re-serialises its whole table database every 5 s.
    persistence=(--inMemoryPersistence) node_args=(--max-old-space-size=16384)
  fi
  for attempt in 1 2 3; do
    mapfile -t ports < <(r2meta_free_ports 3)
    ((${#ports[@]} == 3)) || r2meta_die "could not pick free ports for Azurite"
    r2meta_log "starting Azurite: blob ${ports[0]}, queue ${ports[1]}, table ${ports[2]} (data: ${location#"$R2META_ROOT"/}, log: ${log#"$R2META_ROOT"/})"
    # Custom accounts replace the default one, so it is listed too.
    AZURITE_ACCOUNTS="$R2META_AZURITE_ACCOUNT:$R2META_AZURITE_KEY;$R2META_AZURITE_ACCOUNT2:$R2META_AZURITE_KEY2" \
      r2meta_spawn azurite "$log" node "${node_args[@]}" "$azurite" \
      --skipApiVersionCheck --loose --silent --disableTelemetry "${persistence[@]}" \
      --blobHost 127.0.0.1 --blobPort "${ports[0]}" \
      --queueHost 127.0.0.1 --queuePort "${ports[1]}" \
      --tableHost 127.0.0.1 --tablePort "${ports[2]}"
    pid=$R2META_SPAWNED_PID
    if r2meta_wait_ports "$pid" Azurite "$log" "${ports[@]}"; then
      R2META_AZURITE_BLOB_PORT=${ports[0]} R2META_AZURITE_QUEUE_PORT=${ports[1]} R2META_AZURITE_TABLE_PORT=${ports[2]}
      export R2META_STORAGE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=$R2META_AZURITE_ACCOUNT;AccountKey=$R2META_AZURITE_KEY;BlobEndpoint=http://127.0.0.1:${ports[0]}/$R2META_AZURITE_ACCOUNT;QueueEndpoint=http://127.0.0.1:${ports[1]}/$R2META_AZURITE_ACCOUNT;TableEndpoint=http://127.0.0.1:${ports[2]}/$R2META_AZURITE_ACCOUNT;"
      export R2META_CLUSTER2_STORAGE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=$R2META_AZURITE_ACCOUNT2;AccountKey=$R2META_AZURITE_KEY2;TableEndpoint=http://127.0.0.1:${ports[2]}/$R2META_AZURITE_ACCOUNT2;"
      return 0
    fi
    r2meta_stop_group "$pid" azurite
    r2meta_forget "$pid"
    ((attempt < 3)) && r2meta_warn "retrying Azurite with other ports"
  done
  r2meta_die "Azurite failed to start (see ${log#"$R2META_ROOT"/})"
}

r2meta_start_cosmos() {
  local which=${1:-}
  local cli="$R2META_EMULATORS_DIR/cosmos-server.js"
  [[ -f "$R2META_EMULATORS_DIR/node_modules/@vercel/cosmosdb-server/lib/index.js" ]] || r2meta_die "cosmosdb-server is not installed (run r2meta_emulators_install)"
  mkdir -p "$R2META_DATA_DIR"
  local log="$R2META_DATA_DIR/cosmos${which:+-$which}-$R2META_RUN_ID.log"
  _R2META_RUN_PATHS+=("$log")
  local attempt port pid
  for attempt in 1 2 3; do
    port=$(r2meta_free_ports 1) || r2meta_die "could not pick a free port for cosmosdb-server"
    r2meta_log "starting cosmosdb-server: https://127.0.0.1:$port/ (log: ${log#"$R2META_ROOT"/})"
    r2meta_spawn cosmosdb-server "$log" node "$cli" --host 127.0.0.1 -p "$port"
    pid=$R2META_SPAWNED_PID
    if r2meta_wait_ports "$pid" cosmosdb-server "$log" "$port"; then
      # Readiness + patch check: scratch database, point read of a missing id must be 404.
      if node "$R2META_EMULATORS_DIR/check-cosmos.js" "https://127.0.0.1:$port/" >>"$log" 2>&1; then
        if [[ "$which" == second ]]; then
          export R2META_CLUSTER2_COSMOS_ENDPOINT="https://127.0.0.1:$port/"
          return 0
        fi
        export R2META_COSMOS_ENDPOINT="https://127.0.0.1:$port/"
        export R2META_COSMOS_KEY="$R2META_COSMOS_EMULATOR_KEY"
        export R2META_COSMOS_ACCEPT_ANY_CERTIFICATE=true # its certificate is self-signed and expired
        export AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX=true
        return 0
      fi
      r2meta_warn "cosmosdb-server failed its smoke check; last lines of $log:"
      tail -n 20 "$log" >&2 || true
      r2meta_stop_group "$pid" cosmosdb-server
      r2meta_forget "$pid"
      r2meta_die "cosmosdb-server is not usable (is the patch applied? delete tools/emulators/node_modules and retry)"
    fi
    r2meta_stop_group "$pid" cosmosdb-server
    r2meta_forget "$pid"
    ((attempt < 3)) && r2meta_warn "retrying cosmosdb-server with another port"
  done
  r2meta_die "cosmosdb-server failed to start (see ${log#"$R2META_ROOT"/})"
}

r2meta_emulators_cleanup() {
  local rc=${1:-0} p
  ((${#_R2META_RUN_PATHS[@]})) || return 0
  # Kept after a failure (exit codes other than 0 or a stop by INT/TERM/HUP).
  if [[ ! "$rc" =~ ^(0|129|130|143)$ || "${R2META_KEEP_DATA:-}" == 1 ]]; then
    r2meta_log "emulator data and logs kept in .data/ (run $R2META_RUN_ID)"
    return 0
  fi
  for p in "${_R2META_RUN_PATHS[@]}"; do rm -rf -- "$p"; done
}
