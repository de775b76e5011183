"""What changed in Orthanc 1.13.0, on the real 1.13.0 (sid's build), and what the tool does about it:
OverwriteInstances became an enumeration, remote access with authentication and no user stops it,
and its own AET is checked for invalid characters."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from wizard import cli

from .dicom import make_dicom_file
from .orthanc_releases import RELEASES, Release
from .orthanc_server import OrthancStartError, free_port, running_orthanc
from .profiles import PRESETS_DIR, apply_profile, find_keeper, load_preset, require_tool, send, users_of, with_ports

V1_13 = next(release for release in RELEASES if release.version == "1.13.0")
# The positive examples a new configuration can be written from ('keep' needs an existing password).
POSITIVE_PROFILES = sorted(p for p in (Path(__file__).parents[1] / "data" / "profiles" / "positive").glob("*.jsonc")
                           if not re.search(r'"keep"\s*:\s*true', p.read_text()))
NO_USER_REFUSAL = "Starting with Orthanc 1.13.0, you must at least explicitly declare one user"


def config_folder(folder: Path, settings: dict) -> Path:
    folder.mkdir(parents=True)
    (folder / "orthanc.json").write_text(json.dumps({"HttpPort": free_port(), "DicomPort": free_port(), **settings}))
    return folder


def start_error(folder: Path, release: Release) -> str | None:
    """Orthanc's log if `release` refuses to start on folder, None if it starts."""
    try:
        with running_orthanc(folder, folder.parent, graceful=False, release=release):
            return None
    except OrthancStartError as refused:
        return str(refused)


# --- OverwriteInstances ----------------------------------------------------------------------------

def same_instance_changed(original: Path, copy: Path) -> Path:
    """The same instance (same SOP Instance UID) with another patient name."""
    copy.write_bytes(original.read_bytes())
    subprocess.run([require_tool("dcmodify"), "-nb", "-m", "(0010,0010)=Changed^Name", str(copy)],
                   check=True, capture_output=True, timeout=30)
    return copy


@pytest.mark.parametrize("overwrite", [False, True], ids=["never", "always"])
def test_overwrite_instances_is_written_as_each_release_reads_it_and_does_what_was_asked(
        tmp_path, start_orthanc, release, overwrite):
    profile = with_ports(load_preset("localhost"), free_port(), free_port())
    profile["storage"] = {"overwrite_instances": overwrite}
    out_dir = apply_profile(profile, tmp_path / "apply", "--orthanc-version", release.version)
    written = json.loads((out_dir / "orthanc.json").read_text())["OverwriteInstances"]
    assert written == ({False: "Never", True: "Always"}[overwrite] if release.version == "1.13.0" else overwrite)

    orthanc = start_orthanc(out_dir, release, graceful=False)
    admin = find_keeper(users_of(profile, out_dir)).credentials
    first = make_dicom_file(tmp_path / "first.dcm", patient_name="First^Name")
    second = same_instance_changed(first, tmp_path / "second.dcm")
    stored = json.loads(send(orthanc.url, "POST", "/instances", body=first.read_bytes(), **admin).body)
    again = json.loads(send(orthanc.url, "POST", "/instances", body=second.read_bytes(), **admin).body)
    assert again["ID"] == stored["ID"]
    tags = json.loads(send(orthanc.url, "GET", f"/instances/{stored['ID']}/simplified-tags", **admin).body)
    assert tags["PatientName"] == ("Changed^Name" if overwrite else "First^Name"), again


# --- remote access, authentication, and no user ------------------------------------------------

def test_1_13_0_refuses_to_start_with_remote_access_and_authentication_but_no_user_where_1_12_7_invents_one(
        tmp_path):
    state = {"RemoteAccessAllowed": True, "AuthenticationEnabled": True}
    refused = start_error(config_folder(tmp_path / "1.13.0" / "config", state), V1_13)
    assert refused is not None and NO_USER_REFUSAL in refused, refused
    older = next(release for release in RELEASES if release.version == "1.12.7")
    with running_orthanc(config_folder(tmp_path / "1.12.7" / "config", state), tmp_path, graceful=False,
                         release=older) as orthanc:
        assert "Creating a default user" in orthanc.log_text()


def remote_without_user(config: dict) -> bool:
    """The state 1.13.0 refuses to start in (and older releases answer with orthanc:orthanc)."""
    remote, auth = config.get("RemoteAccessAllowed", False), config.get("AuthenticationEnabled", None)
    return remote and auth is not False and not config.get("RegisteredUsers")


@pytest.mark.parametrize("source", [*sorted(p.stem for p in PRESETS_DIR.glob("*.json")),
                                    *(str(p) for p in POSITIVE_PROFILES)], ids=lambda s: Path(s).stem)
def test_nothing_the_tool_writes_for_1_13_0_has_remote_access_with_authentication_and_no_user(
        tmp_path, capsys, monkeypatch, source):
    if Path(source).is_file():  # passwords a profile takes from the environment
        for name in re.findall(r'"env"\s*:\s*"([A-Z_][A-Z0-9_]*)"', Path(source).read_text()):
            monkeypatch.setenv(name, f"{name.lower()}-from-the-environment")
    out = tmp_path / "out"
    argv = ["apply", "--preset", source, "--orthanc-version", "1.13.0", "--set", "https.server_name=pacs.test",
            "--out", str(out)]
    code = cli.main(argv)
    assert code == 0, capsys.readouterr().err
    assert not remote_without_user(json.loads((out / "orthanc.json").read_text()))


def test_a_profile_asking_for_that_state_is_refused_and_nothing_is_written(tmp_path, capsys):
    profile = tmp_path / "no-user.jsonc"
    profile.write_text('{"orthanc_version": "1.13.0", "network": {"remote_access": true}, '
                       '"authentication": {"enabled": true, "users": []}}')
    assert cli.main(["apply", "--preset", str(profile), "--out", str(tmp_path / "out")]) == 2
    assert "$.authentication.users" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_edit_of_a_configuration_in_that_state_gives_it_a_user_and_1_13_0_starts(tmp_path, capsys):
    folder = config_folder(tmp_path / "config", {"RemoteAccessAllowed": True, "AuthenticationEnabled": True})
    assert start_error(folder, V1_13) is not None
    assert cli.main(["apply", "--preset", "intranet", "--config", str(folder), "--orthanc-version", "1.13.0",
                     "--set", "https.server_name=pacs.test"]) == 0
    capsys.readouterr()
    written = json.loads((folder / "orthanc.json").read_text())
    assert not remote_without_user(written) and written["RegisteredUsers"]
    assert start_error(folder, V1_13) is None


# --- AETs ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("aet", ["BAD\\AET", "   ", "SEVENTEEN_CHARS_X"], ids=["backslash", "spaces", "too-long"])
def test_an_aet_1_13_0_refuses_to_start_with_is_refused_by_the_tool_for_itself_and_modalities(tmp_path, capsys, aet):
    refused = start_error(config_folder(tmp_path / "orthanc" / "config", {"DicomAet": aet}), V1_13)
    assert refused is not None, f"1.13.0 started with DicomAet {aet!r}"
    for answers, where in (({"aet": aet}, "$.dicom.aet"),
                           ({"modalities": [{"name": "m", "aet": aet, "host": "127.0.0.1", "port": 104}]},
                            "$.dicom.modalities[0].aet")):
        profile = tmp_path / "profile.jsonc"
        profile.write_text(json.dumps({"extends": "localhost", "orthanc_version": "1.13.0", "dicom": answers}))
        assert cli.main(["apply", "--preset", str(profile), "--out", str(tmp_path / "out")]) == 2
        assert where in capsys.readouterr().err
        assert not (tmp_path / "out").exists()


def test_1_13_0_names_the_invalid_characters_of_its_aet(tmp_path):
    refused = start_error(config_folder(tmp_path / "config", {"DicomAet": "BAD\\AET"}), V1_13)
    assert 'Option "DicomAet" contains characters that are not valid for an AET' in (refused or ""), refused


@pytest.mark.parametrize("aet", ["A B", "AE*T", "~!#$%&()*+,-./:;", "ORTHANC_1"])
def test_an_aet_the_tool_accepts_starts_1_13_0(tmp_path, capsys, aet):
    profile = with_ports(load_preset("localhost"), free_port(), free_port())
    profile["dicom"]["aet"] = aet
    out_dir = apply_profile(profile, tmp_path / "apply", "--orthanc-version", "1.13.0")
    assert json.loads((out_dir / "orthanc.json").read_text())["DicomAet"] == aet
    assert start_error(out_dir, V1_13) is None
