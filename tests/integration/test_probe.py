"""`orthanc-harden probe` against the real Orthanc: Debian's default configuration (with remote
access on, and as shipped), and what every preset writes. DCMTK's echoscu cross-checks the DICOM
stranger."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from wizard.probe import dicom, look, rest
from wizard.probe.seen import Strangers

from .orthanc_server import free_port, running_orthanc
from .profiles import LOOPBACK, apply, load_preset, make_certificate, preset_names, run_cli, with_ports, write_profile

DEBIAN = Path(__file__).resolve().parents[1] / "data" / "configs" / "debian-1.10.1"


def debian_folder(folder: Path, remote: bool) -> Path:
    """Debian's shipped /etc/orthanc on free ports, RemoteAccessAllowed as asked."""
    shutil.copytree(DEBIAN, folder, ignore=shutil.ignore_patterns("*.md"))
    main = folder / "orthanc.json"
    text = main.read_text()
    for key, value in (("HttpPort", free_port()), ("DicomPort", free_port()), ("RemoteAccessAllowed", str(remote).lower())):
        text, count = re.subn(rf'^(\s*"{key}"\s*:\s*)[^,\n]+', rf"\g<1>{value}", text, flags=re.M)
        assert count == 1, key
    main.write_text(text)
    return folder


def probe(orthanc, *extra: str, cwd: Path) -> tuple[int, dict]:
    done = run_cli("probe", orthanc.url, "--dicom", f"{LOOPBACK}:{orthanc.dicom_port}", "--format", "json", *extra, cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def preset_output(name: str, folder: Path) -> tuple[dict, Path]:
    """What the preset writes for Debian's 1.10.1, on free ports (DICOM TLS: a self-signed certificate)."""
    profile = with_ports(load_preset(name), free_port(), free_port())
    if profile.get("dicom", {}).get("tls", {}).get("enabled"):
        cert, key = make_certificate(folder / "tls", "dicom")
        profile["dicom"]["tls"].update(certificate=str(cert), private_key=str(key), trusted_certificates=str(cert))
    out = folder / "out"
    apply(write_profile(folder / "profile.jsonc", profile), out, "--orthanc-version", "1.10.1")
    return profile, out


def echoscu(port: int, calling: str, called: str) -> bool:
    """Whether DCMTK's echoscu gets a successful C-ECHO (read from its log: it may exit 0 on failure)."""
    done = subprocess.run([shutil.which("echoscu") or "echoscu", "-v", "-to", "5", "-ta", "5", "-td", "5",
                           "-aet", calling, "-aec", called, LOOPBACK, str(port)],
                          capture_output=True, text=True, timeout=30, check=False)
    return done.returncode == 0 and "Received Echo Response (Success)" in done.stderr


def test_debian_s_default_with_remote_access_lets_the_well_known_login_in(tmp_path):
    config = debian_folder(tmp_path / "etc-orthanc", remote=True)
    with running_orthanc(config, tmp_path, graceful=False) as orthanc:
        code, report = probe(orthanc, cwd=tmp_path)
        by_id = {f["id"]: f for f in report["findings"]}
        assert code == 1 and by_id["OH-PROBE-002"]["severity"] == "high"
        assert "OH-PROBE-001" not in by_id  # anonymous requests get 401: the default login is the way in
        assert report["orthanc"]["version"] == "1.10.1"  # read from /system with that login
        # DicomAlwaysAllowEcho is on and the called AET unchecked; DCMTK sees the same.
        assert {"OH-PROBE-006", "OH-PROBE-008"} <= set(by_id)
        strangers = Strangers.random()
        assert echoscu(orthanc.dicom_port, strangers.calling, "ORTHANC")
        assert echoscu(orthanc.dicom_port, strangers.calling, strangers.called)


def test_the_probe_s_sarif_is_valid_sarif_2_1_0(tmp_path):
    schema = json.loads((Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json").read_text())
    config = debian_folder(tmp_path / "etc-orthanc", remote=True)
    with running_orthanc(config, tmp_path, graceful=False) as orthanc:
        done = run_cli("probe", orthanc.url, "--dicom", f"{LOOPBACK}:{orthanc.dicom_port}", "--format", "sarif", cwd=tmp_path)
    log = json.loads(done.stdout)
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert "OH-PROBE-002" in {result["ruleId"] for result in log["runs"][0]["results"]}


def test_debian_s_default_as_shipped_serves_this_host_anonymously(tmp_path):
    config = debian_folder(tmp_path / "etc-orthanc", remote=False)
    with running_orthanc(config, tmp_path, graceful=False) as orthanc:
        code, report = probe(orthanc, cwd=tmp_path)
        severities = {f["id"]: f["severity"] for f in report["findings"]}
        assert code == 1 and severities["OH-PROBE-001"] == "high" and severities["OH-PROBE-003"] == "high"


@pytest.mark.parametrize("name", preset_names())
def test_what_every_preset_writes_gives_a_stranger_nothing_high(tmp_path, name):
    profile, out = preset_output(name, tmp_path)
    with running_orthanc(out, tmp_path, graceful=False) as orthanc:
        code, report = probe(orthanc, cwd=tmp_path)
        high = [(f["id"], f["message"]) for f in report["findings"] if f["severity"] in ("critical", "high")]
        assert (code, high) == (0, [])
        strangers = Strangers.random()
        seen = look.look(rest.site(orthanc.url), (LOOPBACK, orthanc.dicom_port), "ORTHANC", strangers)
        assert seen.anonymous.status == 401 and seen.well_known.status == 401
        if not profile.get("dicom", {}).get("enabled", True):
            assert seen.stranger.outcome == "unreachable"
        elif profile["dicom"].get("tls", {}).get("enabled"):
            assert (seen.stranger.outcome, seen.dicom_tls) == ("aborted", True)  # TLS only
        else:
            assert seen.stranger == dicom.Association("rejected", "calling AE title not recognized")
            assert seen.any_called == dicom.Association("rejected", "called AE title not recognized")
            assert not echoscu(orthanc.dicom_port, strangers.calling, "ORTHANC")


def test_a_port_nobody_answers_is_exit_2(tmp_path):
    done = run_cli("probe", f"http://{LOOPBACK}:{free_port()}", "--dicom", f"{LOOPBACK}:{free_port()}", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "") and "nothing answers at" in done.stderr
