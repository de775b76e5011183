"""Every shipped preset applies with no environment, runs on the real Orthanc, and gives each of
its users exactly what its role allows.

Parametrized over the files in presets/, so that a new preset is covered without a change here.
Each preset's Orthanc is started once (lazily) and shared by the tests of this module.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from .orthanc_server import OrthancProcess, free_port, running_orthanc
from .profiles import (
    PRESETS_DIR,
    REPOSITORY,
    TESTED_ORTHANC,
    Prober,
    User,
    apply,
    find_keeper,
    load_preset,
    make_certificate,
    preset_names,
    registered_users,
    role_mismatches,
    send,
    snapshot,
    users_of,
    version_tuple,
    with_ports,
    write_profile,
)

PRESETS = preset_names()
SHIPPED_COPY = REPOSITORY / "wizard" / "data" / "presets"


def dicom_tls_enabled(profile: dict) -> bool:
    return bool(profile.get("dicom", {}).get("tls", {}).get("enabled", False))


def dicom_enabled(profile: dict) -> bool:
    return bool(profile.get("dicom", {}).get("enabled", True))


def execute_lua(profile: dict) -> bool:
    return bool(profile.get("scripting", {}).get("execute_lua", False))


TLS_PRESETS = [name for name in PRESETS if dicom_tls_enabled(load_preset(name))]
NO_DICOM_PRESETS = [name for name in PRESETS if not dicom_enabled(load_preset(name))]


@dataclass
class PresetRun:
    """A preset applied for the tested Orthanc, and that Orthanc running on the output."""

    name: str
    profile: dict
    out_dir: Path
    orthanc: OrthancProcess
    users: list[User]
    tls_files: tuple[Path, Path] | None


def runnable_profile(name: str, folder: Path) -> tuple[dict, list[str], tuple[Path, Path] | None]:
    """The preset with free ports, made to run on the tested Orthanc: (profile, apply args, TLS files).

    A preset written for a newer Orthanc is applied with --orthanc-version 1.10.1, and one with
    DICOM TLS gets a self-signed certificate (trusted by itself) instead of its /etc paths.
    """
    profile = with_ports(load_preset(name), free_port(), free_port())
    args = []
    if version_tuple(profile.get("orthanc_version", TESTED_ORTHANC)) > version_tuple(TESTED_ORTHANC):
        args = ["--orthanc-version", TESTED_ORTHANC]
    tls_files = None
    if dicom_tls_enabled(profile):
        cert, key = make_certificate(folder / "tls", "dicom")
        profile["dicom"]["tls"].update(certificate=str(cert), private_key=str(key),
                                       trusted_certificates=str(cert))
        tls_files = (cert, key)
    return profile, args, tls_files


@pytest.fixture(scope="module")
def preset_run(tmp_path_factory) -> Iterator[Callable[[str], PresetRun]]:
    """preset_run(name): that preset's Orthanc, started at the first call, stopped after the module."""
    runs: dict[str, PresetRun] = {}
    with ExitStack() as stack:
        def get(name: str) -> PresetRun:
            if name not in runs:
                folder = tmp_path_factory.mktemp(f"preset-{name}")
                profile, args, tls_files = runnable_profile(name, folder)
                out_dir = folder / "out"
                apply(write_profile(folder / "profile.jsonc", profile), out_dir, *args)
                orthanc = stack.enter_context(running_orthanc(out_dir, folder))
                runs[name] = PresetRun(name, profile, out_dir, orthanc, users_of(profile, out_dir), tls_files)
            return runs[name]
        yield get


# --- applying -------------------------------------------------------------------------------

def test_there_are_presets_to_test():
    assert {"localhost", "intranet", "internet-proxy", "cloud-no-dicom"} <= set(PRESETS)


@pytest.mark.parametrize("name", PRESETS)
def test_preset_file_is_the_one_shipped_in_the_package(name):
    # `--preset NAME` reads the package's copy: it must not drift from presets/.
    assert (SHIPPED_COPY / f"{name}.json").read_bytes() == (PRESETS_DIR / f"{name}.json").read_bytes()


@pytest.mark.parametrize("name", PRESETS)
def test_preset_applies_as_shipped_with_no_environment_variable(tmp_path, name):
    profile = with_ports(load_preset(name), free_port(), free_port())
    out_dir = tmp_path / "out"
    apply(write_profile(tmp_path / "profile.jsonc", profile), out_dir)  # clean env: PATH and HOME only
    expected = {"orthanc.json", "orthanc-security.lua", "CHECKLIST.md", "orthanc-harden.jsonc"}
    if profile.get("https", {}).get("mode") == "reverse-proxy":
        expected.add("nginx-orthanc.conf")
    assert set(snapshot(out_dir)) == expected
    config = json.loads((out_dir / "orthanc.json").read_text())  # strict JSON
    assert config["LuaScripts"] == ["orthanc-security.lua"]
    passwords = registered_users(out_dir)
    names = [user["name"] for user in profile.get("authentication", {}).get("users", [])]
    assert sorted(passwords) == sorted(names)
    assert all(len(password) >= 16 for password in passwords.values())


@pytest.mark.parametrize("name", PRESETS)
def test_second_apply_of_a_preset_changes_no_byte_and_check_passes(tmp_path, name):
    profile, args, _ = runnable_profile(name, tmp_path)
    profile_path = write_profile(tmp_path / "profile.jsonc", profile)
    out_dir = tmp_path / "out"
    apply(profile_path, out_dir, *args)
    first = snapshot(out_dir)
    modes = {path.name: path.stat().st_mode for path in out_dir.iterdir()}
    second = apply(profile_path, out_dir, *args)
    assert snapshot(out_dir) == first, second.stdout
    assert {path.name: path.stat().st_mode for path in out_dir.iterdir()} == modes
    check = apply(profile_path, out_dir, *args, "--check", check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert snapshot(out_dir) == first


# --- running on Orthanc ---------------------------------------------------------------------

@pytest.mark.parametrize("name", PRESETS)
def test_preset_output_starts_orthanc_and_anonymous_requests_are_unauthorized(preset_run, name):
    run = preset_run(name)
    assert send(run.orthanc.url, "GET", "/system").status == 401
    assert send(run.orthanc.url, "GET", "/patients").status == 401
    assert send(run.orthanc.url, "POST", "/tools/find", body="{}").status == 401


@pytest.mark.parametrize("name", PRESETS)
def test_each_preset_user_gets_exactly_what_its_role_allows(preset_run, tmp_path, name):
    run = preset_run(name)
    assert run.users, "a preset without users cannot be used with authentication on"
    prober = Prober(run.orthanc.url, find_keeper(run.users), tmp_path)
    mismatches = [m for user in run.users for m in role_mismatches(prober, user, execute_lua(run.profile))]
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("name", PRESETS)
def test_each_preset_user_with_a_wrong_password_is_unauthorized(preset_run, name):
    run = preset_run(name)
    for user in run.users:
        assert send(run.orthanc.url, "GET", "/system", user=user.name,
                    password=user.password + "x").status == 401, user.name
        assert send(run.orthanc.url, "GET", "/system", user=user.name, password="").status == 401, user.name


@pytest.mark.parametrize("name", NO_DICOM_PRESETS)
def test_preset_without_dicom_does_not_open_the_dicom_port(preset_run, name):
    run = preset_run(name)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", run.orthanc.dicom_port), timeout=2).close()


def echoscu(port: int, *tls_args: str) -> subprocess.CompletedProcess:
    binary = shutil.which("echoscu")
    if binary is None:
        raise FileNotFoundError("echoscu not found on PATH: install DCMTK (Debian package dcmtk)")
    return subprocess.run([binary, "-v", "-to", "10", "-ta", "10", "-td", "10", *tls_args,
                           "-aet", "ANYSCU", "-aec", "ORTHANC", "127.0.0.1", str(port)],
                          check=False, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("name", TLS_PRESETS)
def test_preset_with_dicom_tls_refuses_plain_dicom(preset_run, name):
    run = preset_run(name)
    plain = echoscu(run.orthanc.dicom_port)
    output = plain.stdout + plain.stderr
    assert "Received Echo Response (Success)" not in output, output
    # Refused at the transport: no association was even negotiated.
    assert "Association Request Failed" in output and "Association Accepted" not in output, output
    assert "Association Rejected" not in output, output


@pytest.mark.parametrize("name", TLS_PRESETS)
def test_preset_with_dicom_tls_negotiates_tls_with_a_trusted_client_certificate(preset_run, name):
    # The contrast to the test above: over TLS the association is negotiated and only then
    # judged (this preset lists no modality, so the unknown AET is rejected).
    run = preset_run(name)
    cert, key = run.tls_files
    done = echoscu(run.orthanc.dicom_port, "+tls", str(key), str(cert), "+cf", str(cert))
    output = done.stdout + done.stderr
    assert "Association Rejected" in output and "Calling AE Title Not Recognized" in output, output


@pytest.mark.parametrize("name", TLS_PRESETS)
def test_preset_with_dicom_tls_refuses_a_tls_client_without_certificate(preset_run, name):
    run = preset_run(name)
    required = run.profile["dicom"]["tls"].get("remote_certificate_required", True)
    cert, _ = run.tls_files
    done = echoscu(run.orthanc.dicom_port, "+tla", "+cf", str(cert))
    output = done.stdout + done.stderr
    if required:
        assert "Association Request Failed" in output and "Association Rejected" not in output, output
    else:
        assert "Calling AE Title Not Recognized" in output, output


# --- the checklist's own checks, run as written ------------------------------------------------

_CHECKS = ("curl ", "echoscu ")  # the last step's commands that need no systemd


@pytest.mark.parametrize("name", PRESETS)
def test_the_checklists_last_step_gives_the_answers_it_promises(preset_run, name):
    run = preset_run(name)
    checklist = (run.out_dir / "CHECKLIST.md").read_text()
    last = checklist[checklist.index("Restart Orthanc and check what a stranger gets"):]
    start = last.index("```sh\n") + len("```sh\n")
    block = last[start:last.index("\n```", start)]
    checks = [line for line in block.splitlines() if line.startswith(_CHECKS)]
    assert checks, block
    for line in checks:
        command, expected = line.split("  # ", 1)
        done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=30)
        output = done.stdout + done.stderr
        if command.startswith("curl "):
            assert output.strip() == expected.split(":")[0] == "401", (line, output)
        else:  # "Association Rejected (...)" or, on a TLS-only port, "Association Request Failed (...)"
            promised = expected.split(" (")[0]
            assert promised.startswith("Association R") and promised in output, (line, output)
            assert "Echo Response (Success)" not in output, (line, output)
