"""The three real releases run: this host's 1.10.1 and the chrooted 1.12.7 and 1.13.0, each started
on a configuration made on the host, as the harness promises."""

from __future__ import annotations

import json
import subprocess

import pytest

from .http import request
from .orthanc_releases import RELEASES, ReleaseMissing, Release, releases_dir
from .orthanc_server import free_port

ADMIN = {"user": "admin", "password": "pw-admin-1"}


def config_folder(folder, settings: dict, files: dict[str, str] | None = None):
    folder.mkdir()
    ports = {"HttpPort": free_port(), "DicomPort": free_port()}
    (folder / "orthanc.json").write_text(json.dumps({**ports, **settings}, indent=2))
    for name, text in (files or {}).items():
        (folder / name).write_text(text)
    return folder


def test_the_releases_are_debian_12s_trixies_and_sids():
    assert [(str(r), r.suite) for r in RELEASES] == [("1.10.1", None), ("1.12.7", "trixie"), ("1.13.0", "sid")]


def test_each_release_starts_and_reports_its_own_version(tmp_path, start_orthanc, release):
    config = config_folder(tmp_path / "config", {"AuthenticationEnabled": True,
                                                 "RegisteredUsers": {ADMIN["user"]: ADMIN["password"]}})
    orthanc = start_orthanc(config, release)
    status, body = request(orthanc.url, path="/system", **ADMIN)
    assert status == 200 and json.loads(body)["Version"] == release.version
    version = subprocess.run(release.binary_command("--version"), capture_output=True, text=True, timeout=30)
    assert version.stdout.splitlines()[0].split()[-1] == release.version
    assert "Orthanc has started" in orthanc.log_text()


def test_a_file_named_by_a_host_path_reaches_each_release(tmp_path, start_orthanc, release):
    # The chrooted Orthanc sees only its root: the harness copies what the configuration names.
    outside = tmp_path / "elsewhere" / "get-only.lua"
    outside.parent.mkdir()
    outside.write_text('function IncomingHttpRequestFilter(method, uri, ip, username, headers)\n'
                       '  return method == "GET"\nend\n')
    config = config_folder(tmp_path / "config", {"AuthenticationEnabled": True, "LuaScripts": [str(outside)],
                                                 "RegisteredUsers": {ADMIN["user"]: ADMIN["password"]}})
    orthanc = start_orthanc(config, release)
    assert request(orthanc.url, path="/system", **ADMIN)[0] == 200
    assert request(orthanc.url, "DELETE", path="/patients/unknown", **ADMIN)[0] == 403


def test_a_chroot_not_built_is_an_error_that_says_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("ORTHANC_HARDEN_RELEASES", str(tmp_path))
    assert releases_dir() == tmp_path
    with pytest.raises(ReleaseMissing, match="run `bash scripts/releases.sh`"):
        Release("9.9.9", "no-such-suite").root()
