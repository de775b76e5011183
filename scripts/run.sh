#!/usr/bin/env bash
# Sets up orthanc-harden in ./.venv and runs it with the arguments given.
# Usage: bash scripts/run.sh [orthanc-harden arguments], e.g. bash scripts/run.sh apply --preset intranet
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ -x "$root/.venv/bin/python" ] || python3 -m venv "$root/.venv"
"$root/.venv/bin/python" -m pip install -q --disable-pip-version-check -e "$root"
exec "$root/.venv/bin/orthanc-harden" "$@"
