"""`orthanc-harden apply` and `presets`: outputs, determinism, --check, --diff, secrets."""

import json
import stat

import pytest

from tests.unit.conftest import snapshot
from wizard import resources


def test_presets_lists_every_shipped_preset_with_its_description(run_cli):
    code, out, _ = run_cli("presets")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == resources.preset_names()
    assert all(len(line.split(None, 1)) == 2 for line in lines)
    assert {"localhost", "intranet", "internet-proxy", "cloud-no-dicom"} <= set(resources.preset_names())


@pytest.mark.parametrize("preset", resources.preset_names())
def test_every_preset_applies_without_environment_variables(preset, run_cli, tmp_path, monkeypatch):
    for name in list(__import__("os").environ):
        if name.endswith("PASSWORD"):
            monkeypatch.delenv(name)
    code, out, err = run_cli("apply", "--preset", preset, "--set", "https.server_name=pacs.test", "--out", tmp_path / "out")
    assert code == 0, err
    config = json.loads((tmp_path / "out" / "orthanc.json").read_text())
    assert config["LuaScripts"] == ["orthanc-security.lua"]
    assert all(len(p) == 24 for p in config.get("RegisteredUsers", {}).values())


def test_a_second_identical_run_changes_no_byte(run_cli, tmp_path):
    out = tmp_path / "out"
    assert run_cli("apply", "--preset", "intranet", "--set", "https.server_name=pacs.test", "--out", out)[0] == 0
    before = snapshot(out)
    code, stdout, _ = run_cli("apply", "--preset", "intranet", "--set", "https.server_name=pacs.test", "--out", out)
    assert code == 0 and "nothing to change" in stdout
    assert snapshot(out) == before


def test_check_exits_1_when_something_would_change_and_writes_nothing(run_cli, tmp_path):
    out = tmp_path / "out"
    code, stdout, _ = run_cli("apply", "--preset", "localhost", "--out", out, "--check")
    assert code == 1 and "would change" in stdout
    assert not out.exists()
    run_cli("apply", "--preset", "localhost", "--out", out)
    assert run_cli("apply", "--preset", "localhost", "--out", out, "--check")[0] == 0


def test_diff_masks_every_password(run_cli, tmp_path):
    out = tmp_path / "out"
    run_cli("apply", "--preset", "intranet", "--set", "https.server_name=pacs.test", "--out", out)
    passwords = json.loads((out / "orthanc.json").read_text())["RegisteredUsers"].values()
    code, stdout, _ = run_cli("apply", "--preset", "intranet", "--set", "https.server_name=pacs.test", "--out", out, "--diff", "--check",
                              "--orthanc-version", "1.13.0")
    assert code == 1
    assert '+  "OverwriteInstances": "Never",' in stdout and "********" in stdout
    assert not any(p in stdout for p in passwords)


def test_a_new_file_diff_masks_generated_passwords(run_cli, tmp_path):
    code, stdout, _ = run_cli("apply", "--preset", "localhost", "--out", tmp_path / "o", "--diff")
    generated = json.loads((tmp_path / "o" / "orthanc.json").read_text())["RegisteredUsers"]["admin"]
    assert code == 0 and "--- /dev/null" in stdout and generated not in stdout


def test_generated_passwords_are_not_printed_when_output_is_not_a_terminal(run_cli, tmp_path):
    code, stdout, stderr = run_cli("apply", "--preset", "localhost", "--out", tmp_path / "o")
    password = json.loads((tmp_path / "o" / "orthanc.json").read_text())["RegisteredUsers"]["admin"]
    assert code == 0 and password not in stdout + stderr
    assert "generated passwords for user admin" in stdout


def test_secrets_file_holds_generated_passwords_with_mode_0600(run_cli, tmp_path):
    secrets = tmp_path / "secrets.txt"
    run_cli("apply", "--preset", "localhost", "--out", tmp_path / "o", "--secrets-file", secrets)
    password = json.loads((tmp_path / "o" / "orthanc.json").read_text())["RegisteredUsers"]["admin"]
    assert secrets.read_text() == f"user admin: {password}\n"
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600


def test_files_holding_secrets_are_not_world_readable(run_cli, tmp_path):
    run_cli("apply", "--preset", "intranet", "--set", "https.server_name=pacs.test", "--out", tmp_path / "o")
    assert stat.S_IMODE((tmp_path / "o" / "orthanc.json").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "o" / "CHECKLIST.md").stat().st_mode) == 0o644


def test_json_output_names_changed_files_and_no_secret(run_cli, tmp_path):
    code, stdout, _ = run_cli("apply", "--preset", "intranet", "--set", "https.server_name=pacs.test", "--out", tmp_path / "o", "--json")
    result = json.loads(stdout)
    assert code == 0 and "orthanc.json" in result["changed"]
    assert result["generated"] == ["user admin", "user uploader", "user viewer"]


def test_saved_answers_reproduce_the_run(run_cli, tmp_path):
    out = tmp_path / "o"
    run_cli("apply", "--preset", "intranet", "--set", "https.server_name=pacs.test", "--out", out)
    before = snapshot(out)
    code, stdout, _ = run_cli("apply", "--preset", out / "orthanc-harden.jsonc", "--out", out)
    assert code == 0 and "nothing to change" in stdout
    assert snapshot(out) == before


def test_saved_answers_hold_no_literal_password(run_cli, tmp_path):
    profile = tmp_path / "p.jsonc"
    profile.write_text('{"authentication": {"users": [{"name": "a", "role": "admin", "password": "s3cret-literal"}]}}')
    code, _, err = run_cli("apply", "--preset", profile, "--out", tmp_path / "o")
    assert code == 0 and "written in the profile" in err
    assert "s3cret-literal" not in (tmp_path / "o" / "orthanc-harden.jsonc").read_text()
    assert "s3cret-literal" in (tmp_path / "o" / "orthanc.json").read_text()


def test_env_passwords_are_read_at_apply_time(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("VIEWER_PASSWORD", "from-the-env")
    profile = tmp_path / "p.jsonc"
    profile.write_text('{"authentication": {"users": [{"name": "v", "role": "read-only", "password": {"env": "VIEWER_PASSWORD"}}]}}')
    assert run_cli("apply", "--preset", profile, "--out", tmp_path / "o")[0] == 0
    assert json.loads((tmp_path / "o" / "orthanc.json").read_text())["RegisteredUsers"] == {"v": "from-the-env"}


def test_no_colour_codes_when_output_is_not_a_terminal(run_cli, tmp_path):
    _, stdout, stderr = run_cli("apply", "--preset", "intranet", "--set", "https.server_name=pacs.test", "--out", tmp_path / "o")
    assert "\x1b[" not in stdout + stderr
