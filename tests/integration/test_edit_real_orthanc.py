"""Edited real configurations start the real Orthanc, which then refuses anonymous requests."""

import json
import re
import socket
from pathlib import Path

import json5
import pytest

from tests.edit_support import debian_copy, lost_comments, texts, upstream_sample
from tests.unit.conftest import snapshot
from wizard import cli

from .http import request
from .orthanc_server import free_port

PRESETS = Path(__file__).resolve().parents[2] / "presets"
# The harness adds its own storage folders in zz-test-storage.json: a second definition would stop Orthanc.
_STORAGE = re.compile(r'^\s*"(?:StorageDirectory|IndexDirectory)"\s*:\s*"[^"]*",\r?\n', re.MULTILINE)


def without_storage(path: Path) -> None:
    text = path.read_text()
    path.write_text(_STORAGE.sub("", text))
    assert _STORAGE.search(path.read_text()) is None and text != path.read_text()


def profile_with_ports(tmp_path: Path, preset: str) -> Path:
    profile = json5.loads((PRESETS / f"{preset}.json").read_text("utf-8"))
    profile.setdefault("network", {})["http_port"] = free_port()
    profile.setdefault("dicom", {})["port"] = free_port()
    if profile.get("https", {}).get("mode") == "reverse-proxy":
        profile["https"]["server_name"] = "pacs.test"  # the site's answer: a preset has none
    path = tmp_path / f"{preset}-ports.json"
    path.write_text(json.dumps(profile))
    return path


def apply(config: Path, profile: Path, *extra) -> int:
    return cli.main(["apply", "--preset", str(profile), "--config", str(config), *map(str, extra)])


def passwords(path: Path) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in path.read_text().splitlines())


def test_debian_folder_edited_for_an_intranet_serves_only_its_users(tmp_path, start_orthanc):
    config = debian_copy(tmp_path / "orthanc")
    without_storage(config / "orthanc.json")
    before = texts(config)
    profile = profile_with_ports(tmp_path, "intranet")
    assert apply(config, profile, "--secrets-file", tmp_path / "secrets") == 0
    assert lost_comments(before, texts(config)) == {}
    secret = passwords(tmp_path / "secrets")

    orthanc = start_orthanc(config)
    assert request(orthanc.url, path="/system")[0] == 401
    assert request(orthanc.url, path="/system", user="admin", password=secret["user admin"])[0] == 200
    viewer = {"user": "viewer", "password": secret["user viewer"]}
    assert request(orthanc.url, path="/patients", **viewer)[0] == 200
    assert request(orthanc.url, "DELETE", "/patients/x", **viewer)[0] == 403

    after = snapshot(config)
    assert apply(config, profile, "--check") == 0
    assert apply(config, profile) == 0
    assert snapshot(config) == after


def test_upstream_sample_edited_for_localhost_refuses_anonymous_requests(tmp_path, start_orthanc):
    config = tmp_path / "conf"
    config.mkdir()
    sample = upstream_sample(config / "orthanc.json")
    without_storage(sample)
    profile = profile_with_ports(tmp_path, "localhost")
    assert apply(sample, profile, "--secrets-file", tmp_path / "secrets") == 0

    orthanc = start_orthanc(config)
    assert request(orthanc.url, path="/system")[0] == 401
    admin = passwords(tmp_path / "secrets")["user admin"]
    assert request(orthanc.url, path="/system", user="admin", password=admin)[0] == 200
    assert apply(sample, profile, "--check") == 0


def test_a_copy_written_with_out_starts_too(tmp_path, start_orthanc):
    config = debian_copy(tmp_path / "orthanc")
    without_storage(config / "orthanc.json")
    out = tmp_path / "copies"
    assert apply(config, profile_with_ports(tmp_path, "localhost"), "--out", out) == 0
    orthanc = start_orthanc(out)
    assert request(orthanc.url, path="/system")[0] == 401


def test_debian_folder_edited_without_dicom_starts_with_its_dicom_port_closed(tmp_path, start_orthanc):
    config = debian_copy(tmp_path / "orthanc")
    without_storage(config / "orthanc.json")
    profile = profile_with_ports(tmp_path, "cloud-no-dicom")
    assert apply(config, profile) == 0
    orthanc = start_orthanc(config)
    assert request(orthanc.url, path="/system")[0] == 401
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", orthanc.dicom_port), timeout=2).close()
