"""Golden edits of real layouts: Debian's /etc/orthanc and the sample of `Orthanc --config=FILE`."""

import json
import stat

import pytest

from tests.edit_support import (
    debian_copy,
    holders,
    lost_comments,
    outside_hardening,
    texts,
    upstream_sample,
    values,
)
from tests.unit.conftest import snapshot


@pytest.fixture
def debian(tmp_path):
    return debian_copy(tmp_path / "orthanc")


def apply(run_cli, config, *extra, preset="intranet"):
    code, out, err = run_cli("apply", "--preset", preset, "--set", "https.server_name=pacs.test", "--config", config, *extra)
    assert code == 0, out + err
    return out


def test_debian_folder_keeps_every_comment_and_every_other_value(run_cli, debian):
    before_texts, before = texts(debian), values(debian)
    apply(run_cli, debian)
    assert lost_comments(before_texts, texts(debian)) == {}
    after = values(debian)
    assert outside_hardening(after) == outside_hardening(before)
    assert after["AuthenticationEnabled"] is True and after["LuaScripts"] == ["orthanc-security.lua"]
    assert set(after["RegisteredUsers"]) == {"admin", "viewer", "uploader"}


def test_debian_users_stay_in_credentials_json_and_no_key_is_defined_twice(run_cli, debian):
    apply(run_cli, debian)
    where = holders(debian)  # refuses a key held by two files
    assert where["RegisteredUsers"] == "credentials.json"
    assert '"RegisteredUsers"' not in (debian / "orthanc.json").read_text().replace('// "RegisteredUsers"', "")
    assert {where["Worklists"], where["ServeFolders"]} == {"worklists.json", "serve-folders.json"}


def test_debian_files_keep_owner_and_mode(run_cli, debian):
    modes = {p.name: (p.stat().st_mode, p.stat().st_uid, p.stat().st_gid) for p in debian.iterdir()}
    apply(run_cli, debian)
    assert {name: (p.stat().st_mode, p.stat().st_uid, p.stat().st_gid)
            for name, p in ((n, debian / n) for n in modes)} == modes
    assert stat.S_IMODE((debian / "credentials.json").stat().st_mode) == 0o640


def test_debian_backups_are_never_read_by_orthanc(run_cli, debian):
    original = (debian / "orthanc.json").read_bytes()
    out = apply(run_cli, debian)
    backups = sorted(debian.glob("*.bak"))
    assert {b.name.split(".orthanc-harden-")[0] for b in backups} == {"orthanc.json", "credentials.json"}
    assert all(b.suffix == ".bak" and not b.name.lower().endswith(".json") for b in backups)
    assert next(b for b in backups if b.name.startswith("orthanc.json")).read_bytes() == original
    assert "backups: " in out
    assert not any(p.name.startswith(".") for p in debian.iterdir())  # no temporary file left


def test_debian_second_run_changes_nothing_and_check_says_so(run_cli, debian):
    apply(run_cli, debian)
    before = snapshot(debian)
    code, out, _ = run_cli("apply", "--preset", "intranet", "--set", "https.server_name=pacs.test", "--config", debian, "--check")
    assert code == 0 and "nothing to change" in out
    assert "nothing to change" in apply(run_cli, debian)
    assert snapshot(debian) == before


def test_check_and_diff_write_nothing_and_mask_passwords(run_cli, debian, tmp_path):
    apply(run_cli, debian, "--secrets-file", tmp_path / "secrets", preset="localhost")
    password = (tmp_path / "secrets").read_text().split(": ")[1].strip()
    before = snapshot(debian)
    code, out, _ = run_cli("apply", "--preset", "intranet", "--set", "https.server_name=pacs.test", "--config", debian, "--check", "--diff")
    assert code == 1 and snapshot(debian) == before
    assert f"--- {debian / 'credentials.json'}" in out and '"admin" : "********",' in out
    assert password not in out and '"viewer" : "********"' in out


def test_notes_say_what_was_kept_and_what_was_hardened(run_cli, debian):
    out = apply(run_cli, debian)
    assert (f"hardened dicom.always_allow_store: true → false ({debian / 'orthanc.json'}: "
            "$.DicomAlwaysAllowStore was less safe than the hardened default)") in out
    assert f"changed {debian / 'orthanc.json'}: $.LimitFindResults: 0 → 100" in out


def test_out_writes_edited_copies_and_leaves_the_source_alone(run_cli, debian, tmp_path):
    source, out = snapshot(debian), tmp_path / "copies"
    apply(run_cli, debian, "--out", out)
    assert snapshot(debian) == source
    assert {p.name for p in out.iterdir()} >= {"orthanc.json", "credentials.json", "worklists.json",
                                              "serve-folders.json", "orthanc-security.lua", "CHECKLIST.md",
                                              "orthanc-harden.jsonc"}
    assert not list(out.glob("*.bak"))
    assert values(out)["RegisteredUsers"].keys() == {"admin", "viewer", "uploader"}
    copies = snapshot(out)
    assert "nothing to change" in apply(run_cli, debian, "--out", out)
    assert snapshot(out) == copies


def test_upstream_sample_single_file(run_cli, tmp_path):
    folder = tmp_path / "conf"
    folder.mkdir()
    sample = upstream_sample(folder / "orthanc.json")
    before_text, before = sample.read_text(), values(sample)
    apply(run_cli, sample, preset="localhost")
    assert lost_comments({"s": before_text}, {"s": sample.read_text()}) == {}
    after = values(sample)
    assert outside_hardening(after) == outside_hardening(before)
    assert list(after["RegisteredUsers"]) == ["admin"] and after["AuthenticationEnabled"] is True
    assert (folder / "orthanc-security.lua").is_file() and (folder / "CHECKLIST.md").is_file()
    # The sample holds passwords now and was world-readable: others lose read access.
    assert stat.S_IMODE(sample.stat().st_mode) & 0o007 == 0
    assert run_cli("apply", "--preset", "localhost", "--config", sample, "--check")[0] == 0


def test_the_answers_saved_beside_the_config_keep_roles_and_the_proxy(run_cli, debian):
    apply(run_cli, debian)
    profile = debian.parent / "admin-only.json"
    profile.write_text(json.dumps({"authentication": {"users": [
        {"name": "admin", "role": "admin", "from": ["127.0.0.1/32"]}]}}))
    code, out, err = run_cli("apply", "--preset", profile, "--config", debian, "--check", "--json")
    assert code == 1, out + err
    assert json.loads(out)["changed"] == ["orthanc-harden.jsonc"]  # only the profile's description
    assert "would take from orthanc-harden.jsonc" in json.loads(out)["notes"][0]  # --check: nothing taken yet
