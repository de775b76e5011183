"""Every shipped preset applies with no environment, runs on each real Orthanc release (1.10.1,
1.12.7, 1.13.0: the `release` fixture), applied with --orthanc-version of that release, and gives
each of its users exactly what its role allows, and each DICOM client what its AET allows.

Parametrized over the files in presets/, so that a new preset is covered without a change here.
Each preset's Orthanc is started once per release (lazily) and shared by the tests of this module.
"""

from __future__ import annotations

import json
import socket
import subprocess
from collections.abc import Callable, Iterator

import pytest

from .dicom import make_dicom_file
from .orthanc_releases import RELEASES, Release
from .orthanc_server import free_port
from .preset_runs import (
    DICOM_PRESETS,
    MODALITIES,
    NO_DICOM_PRESETS,
    PRESETS,
    TLS_PRESETS,
    PresetRun,
    dcmtk,
    execute_lua,
    preset_runs,
    runnable_profile,
    search_and_zips,
)
from .profiles import (
    PRESETS_DIR,
    REPOSITORY,
    Prober,
    apply,
    find_keeper,
    load_preset,
    registered_users,
    role_mismatches,
    send,
    snapshot,
    with_ports,
    write_profile,
)

SHIPPED_COPY = REPOSITORY / "wizard" / "data" / "presets"


@pytest.fixture(scope="module")
def preset_run(tmp_path_factory) -> Iterator[Callable[[str, Release], PresetRun]]:
    """preset_run(name, release): that preset's Orthanc of that release, started at the first
    call, stopped after the module."""
    with preset_runs(tmp_path_factory) as get:
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


@pytest.mark.parametrize("release", RELEASES, ids=str)
@pytest.mark.parametrize("name", PRESETS)
def test_second_apply_of_a_preset_changes_no_byte_and_check_passes(tmp_path, name, release):
    profile, args, _ = runnable_profile(name, tmp_path, release)
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
def test_preset_output_starts_orthanc_and_anonymous_requests_are_unauthorized(preset_run, name, release):
    run = preset_run(name, release)
    assert send(run.orthanc.url, "GET", "/system").status == 401
    assert send(run.orthanc.url, "GET", "/patients").status == 401
    assert send(run.orthanc.url, "POST", "/tools/find", body="{}").status == 401


@pytest.mark.parametrize("name", PRESETS)
def test_each_preset_user_gets_exactly_what_its_role_allows(preset_run, tmp_path, name, release):
    run = preset_run(name, release)
    assert run.users, "a preset without users cannot be used with authentication on"
    prober = Prober(run.orthanc.url, find_keeper(run.users), tmp_path)
    mismatches = [m for user in run.users for m in role_mismatches(prober, user, execute_lua(run.profile),
                                                                   search=search_and_zips(run.profile))]
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("name", PRESETS)
def test_each_preset_user_with_a_wrong_password_is_unauthorized(preset_run, name, release):
    run = preset_run(name, release)
    for user in run.users:
        assert send(run.orthanc.url, "GET", "/system", user=user.name,
                    password=user.password + "x").status == 401, user.name
        assert send(run.orthanc.url, "GET", "/system", user=user.name, password="").status == 401, user.name


@pytest.mark.parametrize("name", NO_DICOM_PRESETS)
def test_preset_without_dicom_does_not_open_the_dicom_port(preset_run, name, release):
    run = preset_run(name, release)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", run.orthanc.dicom_port), timeout=2).close()


def echoscu(port: int, *tls_args: str) -> subprocess.CompletedProcess:
    return dcmtk("echoscu", *tls_args, "-aet", "ANYSCU", "-aec", "ORTHANC", "127.0.0.1", str(port))


@pytest.mark.parametrize("name", TLS_PRESETS)
def test_preset_with_dicom_tls_refuses_plain_dicom(preset_run, name, release):
    run = preset_run(name, release)
    plain = echoscu(run.orthanc.dicom_port)
    output = plain.stdout + plain.stderr
    assert "Received Echo Response (Success)" not in output, output
    # Refused at the transport: no association was even negotiated.
    assert "Association Request Failed" in output and "Association Accepted" not in output, output
    assert "Association Rejected" not in output, output


@pytest.mark.parametrize("name", TLS_PRESETS)
def test_preset_with_dicom_tls_negotiates_tls_with_a_trusted_client_certificate(preset_run, name, release):
    # The contrast to the test above: over TLS the association is negotiated and only then
    # judged (this preset lists no modality, so the unknown AET is rejected).
    run = preset_run(name, release)
    cert, key = run.tls_files
    done = echoscu(run.orthanc.dicom_port, "+tls", str(key), str(cert), "+cf", str(cert))
    output = done.stdout + done.stderr
    assert "Association Rejected" in output and "Calling AE Title Not Recognized" in output, output


@pytest.mark.parametrize("name", TLS_PRESETS)
def test_preset_with_dicom_tls_refuses_a_tls_client_without_certificate(preset_run, name, release):
    run = preset_run(name, release)
    required = run.profile["dicom"]["tls"].get("remote_certificate_required", True)
    cert, _ = run.tls_files
    done = echoscu(run.orthanc.dicom_port, "+tla", "+cf", str(cert))
    output = done.stdout + done.stderr
    if required:
        assert "Association Request Failed" in output and "Association Rejected" not in output, output
    else:
        assert "Calling AE Title Not Recognized" in output, output


# --- DICOM per AET (the test's modalities: a preset lists none) ----------------------------------

SCANNER, PINGER = (m["aet"] for m in MODALITIES)


@pytest.mark.parametrize("name", DICOM_PRESETS)
def test_preset_lets_each_modality_echo_and_only_the_allowed_one_store(preset_run, tmp_path, name, release):
    run = preset_run(name, release)
    called = run.config.get("DicomAet", "ORTHANC")
    for aet in (SCANNER, PINGER):
        output = run.dicom("echoscu", aet, called)
        assert "Received Echo Response (Success)" in output, (aet, output)
    before = run.instance_count()
    stored = run.dicom("storescu", SCANNER, called, make_dicom_file(tmp_path / "scanner.dcm"))
    assert "Received Store Response (Success)" in stored and run.instance_count() == before + 1, stored
    refused = run.dicom("storescu", PINGER, called, make_dicom_file(tmp_path / "pinger.dcm"))
    assert "Received Store Response (Success)" not in refused and run.instance_count() == before + 1, refused


@pytest.mark.parametrize("name", DICOM_PRESETS)
def test_preset_rejects_an_unknown_calling_aet(preset_run, tmp_path, name, release):
    run = preset_run(name, release)
    called = run.config.get("DicomAet", "ORTHANC")
    before = run.instance_count()
    for output in (run.dicom("echoscu", "STRANGER", called),
                   run.dicom("storescu", "STRANGER", called, make_dicom_file(tmp_path / "stranger.dcm"))):
        assert "Association Rejected" in output and "Calling AE Title Not Recognized" in output, output
    assert run.instance_count() == before


@pytest.mark.parametrize("name", DICOM_PRESETS)
def test_preset_rejects_a_wrong_called_aet_even_from_a_known_modality(preset_run, name, release):
    run = preset_run(name, release)
    assert run.config["DicomCheckCalledAet"] is True
    output = run.dicom("echoscu", SCANNER, "NOT" + run.config.get("DicomAet", "ORTHANC"))
    assert "Association Rejected" in output and "Called AE Title Not Recognized" in output, output


# --- the checklist's own checks, run as written ------------------------------------------------

_CHECKS = ("curl ", "echoscu ")  # the last step's commands that need no systemd


@pytest.mark.parametrize("name", PRESETS)
def test_the_checklists_last_step_gives_the_answers_it_promises(preset_run, name, release):
    run = preset_run(name, release)
    checklist = (run.out_dir / "CHECKLIST.md").read_text()
    last = checklist[checklist.index("Restart Orthanc on the new files (a few seconds without service), then check a login"):]
    start = last.index("```sh\n") + len("```sh\n")
    block = last[start:last.index("\n```", start)]
    # What a stranger gets, on each release; the login line (it asks a password) is run by
    # tests/integration/test_checklist_firewall.py.
    checks = [line for line in block.splitlines() if line.startswith(_CHECKS) and " -sfu " not in line]
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
