# shellcheck shell=bash
# What the browser test (tests/R2Meta.EndToEnd.Tests/Browser) needs. Source it (it sources common.sh).
#
# Provides:
#   r2meta_browser_install    npm ci in tests/browser (playwright-core, esbuild, the AWS SDK for
#                             JavaScript v3, pinned by its package-lock.json) when node_modules is
#                             missing or package.json / package-lock.json changed (stamp:
#                             tests/browser/node_modules/.r2meta-install-stamp)
#   r2meta_ensure_chromium    Debian's chromium at /usr/bin/chromium (apt-get install chromium as
#                             root); playwright-core drives that executable, never downloads one

# shellcheck source=script/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

R2META_BROWSER_DIR="$R2META_ROOT/tests/browser"

r2meta_browser_install() {
  r2meta_require_node
  local dir="$R2META_BROWSER_DIR" stamp="$R2META_BROWSER_DIR/node_modules/.r2meta-install-stamp"
  local want
  want=$(cd "$dir" && cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
  if [[ -f "$stamp" && "$(<"$stamp")" == "$want" ]]; then return 0; fi
  r2meta_log "installing the browser test's packages: npm ci in tests/browser"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error </dev/null >&2) ||
    r2meta_die "npm ci in tests/browser failed"
  printf '%s\n' "$want" >"$stamp"
}

r2meta_ensure_chromium() {
  if [[ -x /usr/bin/chromium ]]; then return 0; fi
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    r2meta_warn "chromium is not installed and cannot be installed here (need root + apt-get); the browser test will fail"
    return 0
  fi
  r2meta_log "installing chromium (apt-get install chromium)"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q chromium </dev/null >&2; then
    apt-get update -q </dev/null >&2 || true
    apt-get install -y -q chromium </dev/null >&2 || r2meta_die "apt-get install chromium failed"
  fi
}
