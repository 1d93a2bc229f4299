#!/usr/bin/env bash
# Start a throw-away MinIO server for the tests, or reuse S3_ENDPOINT when the caller set one.
#
#   eval "$(bash scripts/minio.sh start)"   # prints export lines (S3_ENDPOINT, keys, bucket, MINIO_PID)
#   bash scripts/minio.sh stop              # stops the server this script started ($MINIO_PID, data dir)
#
# MinIO is built once with `go install` at the pinned pseudo-version below (about 3 minutes on two
# cores; the binary is cached in $(go env GOPATH)/bin and reused). It listens on 127.0.0.1 on a
# free port with a temporary data directory. Progress goes to stderr; only export lines to stdout.
set -euo pipefail

# Pinned: verified to build with Go 1.26 (see ../shared/docs/S3-NOTES.md).
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
MINIO_MODULE=github.com/minio/minio

log() { printf '[minio] %s\n' "$*" >&2; }

minio_bin() {
  local gobin
  gobin="$(go env GOBIN)"; [ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
  local bin="$gobin/minio"
  local stamp="$gobin/.minio-version"
  if [ ! -x "$bin" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$MINIO_VERSION" ]; then
    log "building MinIO $MINIO_VERSION with go install (one time, ~3 min)"
    (cd /tmp && GOFLAGS=-mod=mod go install "$MINIO_MODULE@$MINIO_VERSION") >&2
    echo "$MINIO_VERSION" > "$stamp"
  fi
  echo "$bin"
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  if [ -n "${S3_ENDPOINT:-}" ]; then
    log "S3_ENDPOINT is set ($S3_ENDPOINT): using that server, not starting MinIO"
    return 0
  fi
  local bin port cport dir user pass
  bin="$(minio_bin)"
  port="$(free_port)"; cport="$(free_port)"
  dir="$(mktemp -d /tmp/strongroom-minio.XXXXXX)"
  user="strongroom"; pass="strongroom-secret-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  MINIO_ROOT_USER="$user" MINIO_ROOT_PASSWORD="$pass" MINIO_BROWSER=off \
    nohup "$bin" server "$dir/data" --address "127.0.0.1:$port" --console-address "127.0.0.1:$cport" \
    >"$dir/minio.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/minio/health/ready" >/dev/null 2>&1; then
      log "MinIO ready on 127.0.0.1:$port (pid $pid, data $dir)"
      echo "export S3_ENDPOINT=http://127.0.0.1:$port"
      echo "export S3_ACCESS_KEY=$user"
      echo "export S3_SECRET_KEY=$pass"
      echo "export S3_REGION=us-east-1"
      echo "export S3_FORCE_PATH_STYLE=true"
      echo "export MINIO_PID=$pid"
      echo "export MINIO_DIR=$dir"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.2
  done
  log "MinIO did not become ready; log follows"; cat "$dir/minio.log" >&2 || true
  kill "$pid" 2>/dev/null || true
  return 1
}

stop() {
  if [ -n "${MINIO_PID:-}" ]; then kill "$MINIO_PID" 2>/dev/null || true; wait "$MINIO_PID" 2>/dev/null || true; fi
  if [ -n "${MINIO_DIR:-}" ] && [[ "$MINIO_DIR" == /tmp/strongroom-minio.* ]]; then rm -rf "$MINIO_DIR"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  bin) minio_bin ;;
  *) echo "usage: $0 start|stop|bin" >&2; exit 2 ;;
esac
