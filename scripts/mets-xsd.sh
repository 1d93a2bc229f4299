#!/usr/bin/env bash
# Prepare the METS schema check used by test/formats/mets/schema.test.ts: a Python venv with
# `xmlschema` and METS 1.12's mets.xsd taken from the PyPI package `metsrw` (no registry ships
# it on its own). Everything lives in .cache/mets-xsd (gitignored) and is reused on later runs.
# Prints `export STRONGROOM_METS_XSD=… STRONGROOM_XSD_PYTHON=…` on stdout; progress on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cache/mets-xsd
log() { printf '[mets-xsd] %s\n' "$*" >&2; }
if [ ! -f "$dir/mets.xsd" ] || [ ! -x "$dir/venv/bin/python" ]; then
  log "setting up xmlschema and metsrw's mets.xsd in $dir (one time)"
  rm -rf "$dir"; mkdir -p "$dir/dl"
  python3 -m venv "$dir/venv" >&2
  "$dir/venv/bin/pip" install -q xmlschema >&2
  "$dir/venv/bin/pip" download -q --no-deps -d "$dir/dl" metsrw >&2
  wheel=$(ls "$dir"/dl/metsrw-*.whl | head -1)
  "$dir/venv/bin/python" - "$wheel" "$dir/mets.xsd" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    name = next(n for n in z.namelist() if n.endswith('/mets.xsd'))
    open(sys.argv[2], 'wb').write(z.read(name))
PY
fi
echo "export STRONGROOM_METS_XSD=$PWD/$dir/mets.xsd"
echo "export STRONGROOM_XSD_PYTHON=$PWD/$dir/venv/bin/python"
