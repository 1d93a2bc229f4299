#!/usr/bin/env bash
# Install the real programs the deposit pipeline runs (POST /deposits/{id}/pipeline), once, and
# print export lines naming them for the server and the tests:
#
#   eval "$(bash scripts/tools.sh)"
#
#   STRONGROOM_SF, STRONGROOM_SF_HOME, STRONGROOM_SF_SIG   Siegfried and its PRONOM signature file
#   STRONGROOM_CLAMSCAN                                     ClamAV's scanner (Debian's clamav)
#   STRONGROOM_EXIFTOOL                                     ExifTool (Debian's libimage-exiftool-perl)
#
# Siegfried is a Go program: built from the Go module proxy at the pinned version below into
# .cache/tools/bin (about 30 s the first time), in a throw-away module because the proxy refuses
# the version list `go install pkg@version` asks for. There is no network for `sf -update`: the
# signature file is the `default.sig` the same module ships in cmd/roy/data (PRONOM, DROID
# signature file V120, container signatures 2024-07-15), copied to .cache/tools/siegfried.
# ClamAV and ExifTool come from Debian (apt-get, as root or through sudo). ClamAV cannot update its
# virus database here (no freshclam): the tests write their own small signature database.
#
# A tool that cannot be installed is reported on stderr and left out of the exports; the exit code
# is 1 when any is missing (the caller decides: tests skip loudly, CI fails). Progress on stderr.
set -uo pipefail
cd "$(dirname "$0")/.."

# Pinned: builds with Go 1.26 (the signature file it ships is dated 2025-03-01).
SIEGFRIED_VERSION=v1.11.2
SIEGFRIED_MODULE=github.com/richardlehane/siegfried

dir="$PWD/.cache/tools"
log() { printf '[tools] %s\n' "$*" >&2; }
missing=0

siegfried() {
  local bin="$dir/bin/sf" stamp="$dir/bin/.sf-version" home="$dir/siegfried"
  if [ ! -x "$bin" ] || [ ! -f "$home/default.sig" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$SIEGFRIED_VERSION" ]; then
    command -v go >/dev/null || { log "go is not installed: cannot build Siegfried"; return 1; }
    log "building Siegfried $SIEGFRIED_VERSION (one time, ~30 s)"
    local work
    work="$(mktemp -d /tmp/strongroom-sf-build.XXXXXX)"
    (
      cd "$work" &&
        go mod init strongroom-sf-build >/dev/null 2>&1 &&
        GOFLAGS=-mod=mod go get "$SIEGFRIED_MODULE/cmd/sf@$SIEGFRIED_VERSION" &&
        GOFLAGS=-mod=mod go build -o "$work/sf" "$SIEGFRIED_MODULE/cmd/sf"
    ) >&2 || { rm -rf "$work"; log "building Siegfried failed"; return 1; }
    local src
    src="$(go env GOMODCACHE)/$SIEGFRIED_MODULE@$SIEGFRIED_VERSION/cmd/roy/data/default.sig"
    [ -f "$src" ] || { rm -rf "$work"; log "no default.sig in the Siegfried module ($src)"; return 1; }
    mkdir -p "$dir/bin" "$home"
    install -m 0755 "$work/sf" "$bin"
    install -m 0644 "$src" "$home/default.sig"
    rm -rf "$work"
    echo "$SIEGFRIED_VERSION" > "$stamp"
  fi
  "$bin" -home "$home" -sig default.sig -version >/dev/null 2>&1 || { log "sf does not run"; return 1; }
  echo "export STRONGROOM_SF=$bin"
  echo "export STRONGROOM_SF_HOME=$home"
  echo "export STRONGROOM_SF_SIG=default.sig"
}

apt_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if sudo -n true 2>/dev/null; then sudo="sudo -n"; else log "not root and no sudo: cannot apt-get install $*"; return 1; fi
  fi
  command -v apt-get >/dev/null || { log "no apt-get: install $* by hand"; return 1; }
  log "apt-get install $* (one time)"
  # Update the package lists first only when the install fails without it (fresh machines).
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$@" >&2 2>/dev/null ||
    { $sudo apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$@" >&2; }
}

debian_tool() {
  local name="$1" package="$2" var="$3" path
  path="$(command -v "$name" || true)"
  if [ -z "$path" ]; then
    apt_install "$package" || { log "could not install $package"; return 1; }
    path="$(command -v "$name" || true)"
    [ -n "$path" ] || { log "$package installed but $name is not on PATH"; return 1; }
  fi
  echo "export $var=$path"
}

siegfried || { missing=1; log "WARNING: Siegfried (sf) is not available"; }
debian_tool clamscan clamav STRONGROOM_CLAMSCAN || { missing=1; log "WARNING: ClamAV (clamscan) is not available"; }
debian_tool exiftool libimage-exiftool-perl STRONGROOM_EXIFTOOL ||
  { missing=1; log "WARNING: ExifTool is not available"; }
exit "$missing"
