"""A new compose deployment of each preset (`apply --deployment compose`) run on the real Orthanc:
the configuration the image's generator would build from it (read by sources.compose.reading),
made runnable on this host as `verify` does (runnable.on_host: the Lua filter's container path
mapped to the file written beside the compose file through its bind mount; the image's plugin
folders, which exist only in the image, left out; its plugin sections Gdcm and OrthancExplorer2
kept, which an Orthanc without those plugins ignores; StorageDirectory replaced by the harness's
temporary storage). Anonymous gets 401, an admin 200, a read-only user is refused a DELETE.

No Docker here: the chroots' Orthanc 1.12.7 and 1.13.0 run the deployments written for them; the
host's 1.10.1 has no image that runs as a non-root user, so it runs the one written for the oldest
release that has one (1.12.0)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wizard.sources.compose import reading, runnable
from wizard.sources.compose.new import releases

from .http import request
from .nginx import nginx_conf, nginx_test
from .orthanc_releases import HOST
from .orthanc_server import free_port
from .profiles import (apply, clean_env, load_preset, make_certificate, preset_names, run_cli, with_ports,
                       write_profile)


def deployment(name: str, folder: Path, version: str) -> tuple[Path, dict]:
    """The preset written as a compose deployment for `version` on free ports, with a read-only user
    (added when the preset has none) and, for DICOM TLS, certificates made here."""
    profile = with_ports(load_preset(name), free_port(), free_port())
    users = profile.setdefault("authentication", {}).setdefault("users", [])
    if not any(user["role"] == "read-only" for user in users):
        users.append({"name": "reader", "role": "read-only"})
    if profile.get("https", {}).get("mode") == "reverse-proxy":
        cert, key = make_certificate(folder / "proxy-tls", "pacs.test")
        profile["https"].update(certificate=str(cert), private_key=str(key))
    if profile.get("dicom", {}).get("tls", {}).get("enabled"):
        cert, key = make_certificate(folder / "tls", "dicom")
        profile["dicom"]["tls"].update(certificate=str(cert), private_key=str(key), trusted_certificates=str(cert))
    out = folder / "out"
    apply(write_profile(folder / "profile.jsonc", profile), out, "--deployment", "compose", "--orthanc-version",
          version, env=clean_env())
    return out, profile


def generated(out: Path, folder: Path) -> tuple[Path, dict]:
    """The configuration the image's generator builds from the deployment, made runnable here, in a
    folder of its own; and that configuration as the generator built it."""
    read = reading.load(out / "docker-compose.yml", None)
    assert read.generated.exit == 0, read.generated.reason
    assert not read.generated.warnings, read.generated.warnings  # no key defined twice, nothing skipped
    values, notes = runnable.on_host(read)
    assert all(note.startswith("Plugins: ") for note in notes), notes  # only the image's plugin folders
    run = folder / "run"
    run.mkdir()
    (run / "orthanc.json").write_text(json.dumps(values, indent=2))
    return run, read.generated.config


def passwords(out: Path) -> dict[str, str]:
    return json.loads((out / "orthanc-passwords.json").read_text())["RegisteredUsers"]


@pytest.mark.parametrize("name", preset_names())
def test_each_preset_s_deployment_holds_its_access_policy_on_the_host_s_orthanc(name, tmp_path, start_orthanc):
    out, profile = deployment(name, tmp_path, releases()[0])
    run, config = generated(out, tmp_path)
    assert config["LuaScripts"] == ["/etc/orthanc/orthanc-security.lua"]
    assert json.loads((run / "orthanc.json").read_text())["LuaScripts"] == [str(out / "orthanc-security.lua")]
    orthanc = start_orthanc(run, HOST)
    users, secret = profile["authentication"]["users"], passwords(out)
    admin = next(u["name"] for u in users if u["role"] == "admin")
    reader = next(u["name"] for u in users if u["role"] == "read-only")
    assert request(orthanc.url, path="/system")[0] == 401
    assert request(orthanc.url, path="/system", user=admin, password=secret[admin])[0] == 200
    assert request(orthanc.url, path="/system", user=reader, password=secret[reader])[0] == 200
    assert request(orthanc.url, "DELETE", "/patients/0", user=reader, password=secret[reader])[0] == 403


@pytest.mark.parametrize("name", ["intranet"])
def test_the_deployment_written_for_each_release_runs_on_that_release(name, release, tmp_path, start_orthanc):
    version = str(release) if str(release) in releases() else releases()[0]
    out, profile = deployment(name, tmp_path, version)
    run, _ = generated(out, tmp_path)
    orthanc = start_orthanc(run, release)
    secret = passwords(out)
    assert request(orthanc.url, path="/system")[0] == 401
    status, body = request(orthanc.url, path="/system", user="admin", password=secret["admin"])
    assert status == 200 and json.loads(body)["Version"] == str(release)
    assert request(orthanc.url, "DELETE", "/patients/0", user="viewer", password=secret["viewer"])[0] == 403


@pytest.mark.parametrize("name", [n for n in preset_names() if load_preset(n).get("https", {}).get("mode") == "reverse-proxy"])
def test_nginx_accepts_the_proxy_file_of_the_nginx_service(name, tmp_path):
    out, _ = deployment(name, tmp_path, releases()[-1])
    done = nginx_test(nginx_conf(tmp_path, out))
    assert done.returncode == 0 and "test is successful" in done.stderr, done.stderr


@pytest.mark.parametrize("name", preset_names())
def test_verify_passes_on_each_preset_s_deployment(name, tmp_path):
    out, _ = deployment(name, tmp_path, releases()[0])
    done = run_cli("verify", str(out), "--format", "json", cwd=out, env=clean_env())
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["summary"]["failed"] == 0 and report["summary"]["passed"] > 10
