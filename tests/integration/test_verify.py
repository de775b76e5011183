"""`orthanc-harden verify` on the real Orthanc: it passes on what every preset writes, and fails
(exit 1, naming the failing rows) when the files are changed behind apply's back: a filter that
allows everything, DicomAlwaysAllowStore or DicomAlwaysAllowEcho on, a password changed. DCMTK's
echoscu and storescu cross-check its pynetdicom rows on the same files."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from . import dicom as dcmtk
from .orthanc_server import free_port, running_orthanc
from .profiles import (apply, clean_env, load_preset, make_certificate, preset_names, registered_users, run_cli,
                       with_ports, write_profile)

ALLOW_ALL = "function IncomingHttpRequestFilter() return true end\n"
VIEWER_PASSWORD = "viewer-password-from-the-environment"
# A site's inventory on this host: a modality here, one elsewhere (never contacted).
MODALITIES = [{"name": "ct1", "aet": "CT1", "host": "127.0.0.1", "port": 104, "allow": ["echo", "store"]},
              {"name": "remote", "aet": "REMOTE1", "host": "10.0.0.10", "port": 104, "allow": ["echo", "store"]},
              {"name": "ws2", "aet": "WS2", "host": "127.0.0.2", "port": 104, "allow": ["echo", "find"]}]


def preset_output(name: str, folder: Path, *extra: str, env: dict | None = None) -> Path:
    """What apply writes for the preset (with a site's answers: the proxy's name, DICOM TLS files)."""
    profile = load_preset(name)
    if profile.get("dicom", {}).get("tls", {}).get("enabled"):
        cert, key = make_certificate(folder / "tls", "dicom")
        profile["dicom"]["tls"].update(certificate=str(cert), private_key=str(key), trusted_certificates=str(cert))
    out = folder / "out"
    apply(write_profile(folder / "profile.jsonc", profile), out, *extra, env=env)
    return out


def site_output(folder: Path, ports: tuple[int, int] | None = None, env: dict | None = None) -> Path:
    """The intranet preset with users of every kind of password and modalities on and off this host."""
    profile = load_preset("intranet")
    profile["authentication"]["users"] = [
        {"name": "admin", "role": "admin", "from": ["127.0.0.1/32"]},
        {"name": "viewer", "role": "read-only", "password": {"env": "VIEWER_PASSWORD"}},
        {"name": "uploader", "role": "uploader"}]
    profile["dicom"]["modalities"] = MODALITIES
    if ports:
        profile = with_ports(profile, *ports)
    out = folder / "out"
    apply(write_profile(folder / "profile.jsonc", profile), out, env=env or clean_env(VIEWER_PASSWORD=VIEWER_PASSWORD))
    return out


def verify(folder: Path, *extra: str, env: dict | None = None) -> tuple[int, dict, str]:
    done = run_cli("verify", str(folder), "--format", "json", *extra, cwd=folder, env=env)
    assert done.returncode in (0, 1), done.stderr + done.stdout
    return done.returncode, json.loads(done.stdout), done.stderr


def failed(report: dict) -> set[tuple[str, str]]:
    return {(row["who"].split(" ")[0], row["what"]) for row in report["rows"] if row["result"] == "fail"}


def edit(path: Path, key: str, value: str) -> None:
    text, count = re.subn(rf'("{key}"\s*:\s*)[^,\n]+', rf"\g<1>{value}", path.read_text())
    assert count == 1, key
    path.write_text(text)


@pytest.mark.parametrize("name", preset_names())
def test_verify_passes_on_every_preset_s_output(tmp_path, name):
    out = preset_output(name, tmp_path)
    code, report, err = verify(out)
    assert code == 0 and report["summary"]["result"] == "pass", failed(report)
    assert report["summary"]["failed"] == 0 and report["summary"]["passed"] > 10
    assert report["orthanc"]["version"] == "1.10.1"
    answers = load_preset(name)
    dicom = {(row["who"], row["what"]) for row in report["rows"] if row["area"] == "dicom"}
    if answers.get("dicom", {}).get("enabled", True):
        assert ("unknown AET VERIFY-STRANGER", "C-ECHO") in dicom and ("unknown AET VERIFY-STRANGER", "C-STORE") in dicom
    else:
        assert dicom == {("anyone", "DICOM port")}  # expected closed, and it is
    users = {row["who"].split(" ")[0] for row in report["rows"] if row["area"] == "http"}
    assert {u["name"] for u in answers["authentication"]["users"]} <= users
    assert "verify: starting Orthanc" in err and "verify: checking" in err and "Traceback" not in err


def test_a_filter_that_allows_everything_fails_the_rows_of_every_non_admin(tmp_path):
    out = preset_output("intranet", tmp_path)
    (out / "orthanc-security.lua").write_text(ALLOW_ALL)
    code, report, _ = verify(out)
    assert code == 1 and report["summary"]["result"] == "fail"
    assert {("viewer", "upload: POST /instances"), ("viewer", "delete: DELETE /patients/{id}"),
            ("uploader", "delete: DELETE /patients/{id}"), ("viewer", "method override: POST /patients/{id} as DELETE"),
            ("uploader", "log level: PUT /tools/log-level"), ("admin", "read through the proxy for 203.0.113.7")} <= failed(report)
    assert all(who != "admin" or "proxy" in what for who, what in failed(report))
    text = run_cli("verify", str(out), cwd=tmp_path)
    assert text.returncode == 1 and "Result: FAIL" in text.stdout
    assert "  viewer (read-only): delete: DELETE /patients/{id}: expected 403, got 200" in text.stdout


def test_always_allowing_store_fails_the_unknown_aet_s_store_and_dcmtk_sees_the_same(tmp_path):
    ports = free_port(), free_port()
    out = site_output(tmp_path, ports)
    edit(out / "orthanc.json", "DicomAlwaysAllowStore", "true")
    code, report, _ = verify(out, env=clean_env(VIEWER_PASSWORD=VIEWER_PASSWORD))
    # Every AET may store now: the stranger, the modality not allowed to, the one from another host.
    assert code == 1 and failed(report) == {("unknown", "C-STORE"), ("ws2", "C-STORE"), ("remote", "C-STORE")}
    with running_orthanc(out, tmp_path, graceful=False) as orthanc:
        file = tmp_path / "x.dcm"
        dcmtk.make_dicom_file(file)
        assert dcmtk.store(orthanc.dicom_port, "VERIFY-STRANGER", "ORTHANC", file).ok
        assert not dcmtk.echo(orthanc.dicom_port, "VERIFY-STRANGER").ok


def test_always_allowing_echo_fails_the_unknown_aet_s_echo_and_dcmtk_sees_the_same(tmp_path):
    out = site_output(tmp_path, (free_port(), free_port()))
    edit(out / "orthanc.json", "DicomAlwaysAllowEcho", "true")
    code, report, _ = verify(out, env=clean_env(VIEWER_PASSWORD=VIEWER_PASSWORD))
    assert code == 1 and failed(report) == {("unknown", "C-ECHO"), ("remote", "C-ECHO")}  # remote: from the wrong host
    with running_orthanc(out, tmp_path, graceful=False) as orthanc:
        assert dcmtk.echo(orthanc.dicom_port, "VERIFY-STRANGER").ok


def test_the_dicom_rows_agree_with_dcmtk_on_the_same_files(tmp_path):
    out = site_output(tmp_path, (free_port(), free_port()))
    code, report, _ = verify(out, env=clean_env(VIEWER_PASSWORD=VIEWER_PASSWORD))
    assert code == 0, failed(report)
    rows = {(row["who"].split(" ")[0], row["what"]): row["got"] for row in report["rows"] if row["area"] == "dicom"}
    assert rows[("ct1", "C-ECHO")] == rows[("ct1", "C-STORE")] == rows[("ws2", "C-FIND")] == "success"
    file = tmp_path / "x.dcm"
    dcmtk.make_dicom_file(file)
    with running_orthanc(out, tmp_path, graceful=False) as orthanc:
        port = orthanc.dicom_port
        # echoscu and storescu connect from 127.0.0.1: the rows verify sends from there.
        seen = {("ct1", "C-ECHO"): dcmtk.echo(port, "CT1").ok, ("ct1", "C-STORE"): dcmtk.store(port, "CT1", "ORTHANC", file).ok,
                ("ct1", "C-FIND"): dcmtk.find(port, "CT1").ok, ("remote", "C-ECHO"): dcmtk.echo(port, "REMOTE1").ok,
                ("remote", "C-STORE"): dcmtk.store(port, "REMOTE1", "ORTHANC", file).ok,
                ("unknown", "C-ECHO"): dcmtk.echo(port, "VERIFY-STRANGER").ok,
                ("unknown", "C-STORE"): dcmtk.store(port, "VERIFY-STRANGER", "ORTHANC", file).ok,
                ("AET", "C-ECHO to the wrong called AET VERIFY-WRONG"): dcmtk.echo(port, "CT1", "VERIFY-WRONG").ok}
    assert {key: rows[key] for key in seen} == {key: "success" if ok else "refused" for key, ok in seen.items()}


def test_a_password_changed_in_the_configuration_fails_that_user_s_rows(tmp_path):
    out = site_output(tmp_path)
    users = registered_users(out)
    text = (out / "orthanc.json").read_text().replace(users["viewer"], "changed-by-hand-after-apply")
    (out / "orthanc.json").write_text(text)
    code, report, _ = verify(out, env=clean_env(VIEWER_PASSWORD=VIEWER_PASSWORD))
    assert code == 1 and {who for who, _ in failed(report)} == {"viewer"}
    assert next(r for r in report["rows"] if r["who"].startswith("viewer") and r["what"].startswith("read:"))["got"] == "401"
    # Without the variable the user cannot be checked: it is said, and the rest still holds.
    code, report, _ = verify(out)
    gap = [r for r in report["rows"] if r["who"].startswith("viewer")]
    assert code == 0 and [r["result"] for r in gap] == ["not checkable"] and "VIEWER_PASSWORD" in gap[0]["note"]


def test_a_generated_password_changed_after_apply_fails_against_the_handed_over_one(tmp_path):
    secrets = tmp_path / "secrets.txt"
    out = preset_output("intranet", tmp_path, "--secrets-file", str(secrets))
    edit(out / "orthanc.json", "uploader", '"changed-by-hand-after-apply"')
    code, report, _ = verify(out, "--secrets-file", str(secrets))
    assert code == 1 and {who for who, _ in failed(report)} == {"uploader"}
    assert verify(out)[0] == 0  # without the handed-over passwords, the configuration's own is what is checked


def test_verify_never_uses_the_configured_ports_or_storage(tmp_path):
    storage = tmp_path / "real-storage"
    profile = load_preset("intranet")
    with socket.socket() as http, socket.socket() as dicom:
        http.bind(("127.0.0.1", 0)), dicom.bind(("127.0.0.1", 0))
        http.listen(), dicom.listen()  # taken: an Orthanc that tried them would not start
        profile = with_ports(profile, http.getsockname()[1], dicom.getsockname()[1])
        profile["service"] = {"storage_dir": str(storage)}
        out = tmp_path / "out"
        apply(write_profile(tmp_path / "profile.jsonc", profile), out)
        code, report, _ = verify(out)
    assert code == 0, failed(report)
    assert not storage.exists()


def test_an_orthanc_that_cannot_start_is_exit_2_with_the_end_of_its_log(tmp_path):
    out = preset_output("localhost", tmp_path)
    (out / "orthanc-security.lua").write_text("function IncomingHttpRequestFilter(\n")
    done = run_cli("verify", str(out), cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert "Orthanc exited with status" in done.stderr and "the end of its log" in done.stderr


def test_verify_of_the_folder_named_as_the_wizard_names_it_passes(tmp_path):
    """`verify .` and a relative DIR (issue 18, item 2): the filter is found wherever the copy runs."""
    out = preset_output("localhost", tmp_path)
    for name in (".", "out"):
        done = run_cli("verify", name, "--format", "json", cwd=out if name == "." else tmp_path)
        assert done.returncode == 0, done.stderr[-2000:]
        assert json.loads(done.stdout)["summary"]["result"] == "pass"
