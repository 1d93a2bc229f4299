#!/usr/bin/env bash
# Install the benchmark peers OUTSIDE the project's dependencies (all under bench/peers/, gitignored):
#   - @ocfl/ocfl-fs (npm; GPL, so a benchmark peer only, never a runtime dependency) → bench/peers/node_modules
#   - ocfl-py (PyPI; its `ocfl-validate` is the reference validator)                  → bench/peers/.venv
#   - rocfl (crates.io; optional, the fastest validator to compare with)               → bench/peers/.cargo
#
#   bash bench/peers/install.sh [all|js|py|rust]     (default: all; rust is skipped unless asked or ROCFL=1)
#
# Each step is idempotent: an installed peer at the pinned version is left alone.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
OCFL_FS_VERSION=0.2.2
OCFL_PY_VERSION=2.1.0
ROCFL_VERSION=1.7.0
log() { printf '[peers] %s\n' "$*" >&2; }

install_js() {
  if [ -f "$here/node_modules/@ocfl/ocfl-fs/package.json" ] &&
    grep -q "\"version\": \"$OCFL_FS_VERSION\"" "$here/node_modules/@ocfl/ocfl-fs/package.json"; then
    log "@ocfl/ocfl-fs $OCFL_FS_VERSION already installed"; return 0
  fi
  log "installing @ocfl/ocfl-fs@$OCFL_FS_VERSION into $here/node_modules"
  [ -f "$here/package.json" ] || echo '{"private":true,"name":"strongroom-bench-peers"}' > "$here/package.json"
  npm install --prefix "$here" --no-save --no-audit --no-fund "@ocfl/ocfl-fs@$OCFL_FS_VERSION" >&2
}

install_py() {
  if [ -x "$here/.venv/bin/ocfl-validate.py" ]; then log "ocfl-py already installed"; return 0; fi
  log "installing ocfl-py==$OCFL_PY_VERSION into $here/.venv"
  python3 -m venv "$here/.venv"
  "$here/.venv/bin/pip" install --quiet "ocfl-py==$OCFL_PY_VERSION" >&2
}

install_rust() {
  if [ -x "$here/.cargo/bin/rocfl" ]; then log "rocfl already installed"; return 0; fi
  log "building rocfl $ROCFL_VERSION with cargo install (several minutes on 2 cores)"
  cargo install --quiet --locked --root "$here/.cargo" "rocfl@$ROCFL_VERSION" >&2 ||
    cargo install --quiet --root "$here/.cargo" "rocfl@$ROCFL_VERSION" >&2
}

case "${1:-all}" in
  js) install_js ;;
  py) install_py ;;
  rust) install_rust ;;
  all)
    install_js
    install_py
    if [ "${ROCFL:-0}" = 1 ]; then install_rust; else log "rocfl skipped (ROCFL=1 or 'rust' to build it)"; fi
    ;;
  *) echo "usage: $0 [all|js|py|rust]" >&2; exit 2 ;;
esac
