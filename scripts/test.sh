#!/usr/bin/env bash
# The one command that runs every test: build + type-check, lint, start MinIO (unless S3_ENDPOINT
# is set), run the tap suite, stop MinIO, and print one closing line `N passed, N failed, N skipped`.
# In CI (CI=true) an S3 test never skips: if MinIO cannot start, the run fails.
set -uo pipefail
cd "$(dirname "$0")/.."

fail() { echo "test.sh: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

[ -d node_modules ] || npm ci --no-audit --no-fund >&2 || fail "npm ci failed"
npx tsc -p tsconfig.json >&2 || fail "type-check/build failed"
npx biome check lib server test bench scripts >&2 || fail "lint failed (npm run format fixes formatting)"

started_minio=0
if [ -z "${S3_ENDPOINT:-}" ]; then
  if env_lines="$(bash scripts/minio.sh start)"; then
    eval "$env_lines"; started_minio=1
  elif [ "${CI:-}" = "true" ]; then
    fail "MinIO could not be started and CI=true: S3 tests must not be skipped"
  else
    echo "test.sh: MinIO could not be started; S3 tests will be skipped" >&2
  fi
fi
trap '[ "$started_minio" = 1 ] && bash scripts/minio.sh stop' EXIT

out="$(mktemp)"
npx tap -R tap "$@" $(find dist/test -name '*.test.js' | sort) | tee "$out"
rc=${PIPESTATUS[0]}
node scripts/tap-summary.mjs "$out" || rc=1
rm -f "$out"
exit "$rc"
