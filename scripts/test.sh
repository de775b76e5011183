#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian machine, then runs every test.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v Orthanc >/dev/null || need_apt+=(orthanc)
command -v storescu >/dev/null || need_apt+=(dcmtk)
command -v luac5.3 >/dev/null || need_apt+=(lua5.3)
command -v nginx >/dev/null || need_apt+=(nginx)
command -v tmux >/dev/null || need_apt+=(tmux)
command -v openssl >/dev/null || need_apt+=(openssl)
command -v curl >/dev/null || need_apt+=(curl)
command -v testssl >/dev/null || need_apt+=(testssl.sh)  # judges the generated nginx TLS (test_tls_scan.py)
command -v systemd-analyze >/dev/null || need_apt+=(systemd)
command -v ufw >/dev/null || need_apt+=(ufw)  # only --dry-run: the tests never change the firewall
# Judges how compose reads the deployments the tool reads and writes: `docker-compose config` parses
# offline, with no Docker engine.
command -v docker-compose >/dev/null || need_apt+=(docker-compose)
# The roles judged by real clients (tests/integration/test_clients*.py): the DICOMweb plugin, and
# Orthanc Explorer in Debian's headless Chromium (playwright downloads no browser of its own here).
dpkg -s orthanc-dicomweb >/dev/null 2>&1 || need_apt+=(orthanc-dicomweb)
command -v chromium >/dev/null || need_apt+=(chromium)
# Debian 12's civetweb loads the unversioned libssl.so: without it SslEnabled stops Orthanc at startup,
# with it the first HTTPS request kills it (tests/integration/test_releases_https.py shows the latter).
dpkg -s libssl-dev >/dev/null 2>&1 || need_apt+=(libssl-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
# Debian's package starts its own Orthanc where it can; the tests start theirs on free ports.

# Debian 12's Web viewer plugin, unpacked and not installed (every Orthanc of the tests would load it
# from /usr/share/orthanc/plugins): tests/integration/test_reader_grants.py loads it by its path.
viewer=/var/cache/orthanc-harden/webviewer
if [ ! -f "$viewer/root/usr/lib/orthanc/libOrthancWebViewer.so.2.8" ]; then
  mkdir -p "$viewer" && (cd "$viewer" && apt-get download -qq orthanc-webviewer=2.8-2+b3 && dpkg -x orthanc-webviewer_2.8-2+b3_amd64.deb root)
fi

# Orthanc 1.12.7 (trixie) and 1.13.0 (sid) in chroots, built once and reused (scripts/releases.sh).
bash scripts/releases.sh

[ -x .venv/bin/python ] || python3 -m venv .venv
# setuptools and wheel let the packaging test build a wheel offline (no build isolation).
.venv/bin/python -m pip install -q --disable-pip-version-check 'setuptools>=68' wheel
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
exec .venv/bin/python -m pytest "$@"
