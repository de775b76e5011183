#!/usr/bin/env bash
# Sets up orthanc-harden in ./.venv and runs it with the arguments given.
# Usage: bash scripts/run.sh [orthanc-harden arguments], e.g. bash scripts/run.sh apply --preset intranet
# pip runs only when .venv is missing or pyproject.toml changed since it last ran (the install is
# editable: a change of the code itself needs none); the second start goes straight to the tool.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
stamp="$venv/.installed-from-pyproject"
wanted="$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/orthanc-harden" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  # On stderr, so that what the tool prints stays alone on stdout; the first install takes ~20 s.
  echo "installing orthanc-harden into $venv (the first start, or pyproject.toml changed: about 20 s)…" >&2
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -e "$root"
  echo "$wanted" > "$stamp"
fi
exec "$venv/bin/orthanc-harden" "$@"
