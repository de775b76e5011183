#!/usr/bin/env bash
# Builds (once, then reuses) the chroots in which the tests run Orthanc releases newer than
# Debian 12's: trixie's (1.12.x) and sid's (1.13.x), each with dcmtk and the DICOMweb plugin.
# Usage: bash scripts/releases.sh        (called by scripts/test.sh; needs root)
# ORTHANC_HARDEN_RELEASES=DIR puts them elsewhere (default /var/cache/orthanc-harden/releases).
#
# A chroot is reused only when its stamp (written last) names the same suite and packages as
# asked here and the package versions it recorded are still the ones installed in it; anything
# else (no stamp: a build cut short; another package list; a changed chroot) is rebuilt.
set -euo pipefail

dir="${ORTHANC_HARDEN_RELEASES:-/var/cache/orthanc-harden/releases}"
suites=(trixie sid)
packages=orthanc,dcmtk,orthanc-dicomweb
stamp_name=.orthanc-harden-stamp

fail() { echo "scripts/releases.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "building the Orthanc chroots needs root (mmdebstrap, chroot)"
if ! command -v mmdebstrap >/dev/null; then
  echo "installing Debian packages: mmdebstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
fi
command -v mmdebstrap >/dev/null || fail "mmdebstrap is missing and could not be installed"

# What the stamp of a chroot must say: its suite, the package list, then one line per package
# with the version installed in it.
installed_versions() {
  chroot "$1" dpkg-query -W -f='${Package} ${Version}\n' ${packages//,/ }
}

current() {
  local root="$1" suite="$2"
  [ -f "$root/$stamp_name" ] || return 1
  local expected
  expected="$(printf 'suite %s\npackages %s\n' "$suite" "$packages"; installed_versions "$root" 2>/dev/null)" || return 1
  [ "$(cat "$root/$stamp_name")" = "$expected" ] || return 1
  chroot "$root" Orthanc --version >/dev/null 2>&1
}

build() {
  local root="$1" suite="$2" new="$1.new" started=$SECONDS
  echo "building the $suite chroot in $root (about 30 s and 300 MB)"
  if grep -q " $root[./ ]" /proc/mounts; then fail "something is mounted inside $root: unmount it first"; fi
  rm -rf "$new" "$root"
  mkdir -p "$dir"
  # Debian's sid Release file is sometimes past its Valid-Until date: that alone must not stop us.
  mmdebstrap --quiet --variant=apt --aptopt='Acquire::Check-Valid-Until "false"' \
    --include="$packages" "$suite" "$new" >"$dir/$suite.log" 2>&1 \
    || { tail -n 30 "$dir/$suite.log" >&2; fail "mmdebstrap $suite failed (log: $dir/$suite.log)"; }
  chroot "$new" Orthanc --version >/dev/null || fail "the $suite chroot has no working Orthanc"
  { printf 'suite %s\npackages %s\n' "$suite" "$packages"; installed_versions "$new"; } >"$new/$stamp_name.tmp"
  mv "$new/$stamp_name.tmp" "$new/$stamp_name"
  mv "$new" "$root"
  echo "built the $suite chroot in $((SECONDS - started)) s: $(grep '^orthanc ' "$root/$stamp_name")"
}

for suite in "${suites[@]}"; do
  root="$dir/$suite"
  current "$root" "$suite" || build "$root" "$suite"
done
