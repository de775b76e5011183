"""The import and write path the wizard shares with apply: starting answers, prepare, write."""

import json
import os
from pathlib import Path

import pytest

from tests.edit_support import values
from tests.unit.conftest import snapshot
from wizard import workflow
from wizard.errors import BadInput, StaleInput
from wizard.orthanc import files, replace

CONFIG = """{
  // users
  "RegisteredUsers" : {
    "alice" : "alice-password-1", // the first
    "bob" : "bob-password-22"
  },
  "AuthenticationEnabled" : false,
  "OrthancExplorerEnabled" : false,
  "LimitFindResults" : 20,
  "DicomModalities" : {
    "ct" : [ "CT", "10.0.0.1", 104, "GE" ],
    "mr" : { "AET" : "MR", "Host" : "10.0.0.2", "Port" : "104", "AllowGet" : false, "LocalAet" : "HELLO" },
    "env" : [ "ENV", "${HOST}", 104 ]
  },
  "OrthancPeers" : {
    "p1" : [ "https://peer.example/", "u", "peer-secret-1" ],
    "p2" : { "URL" : "https://p2.example/", "Username" : "x", "Password" : "peer-secret-2" }
  }
}
"""


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "conf"
    path.mkdir()
    (path / "orthanc.json").write_text(CONFIG)
    return path


def test_starting_answers_import_users_modalities_and_peers(folder):
    answers, imported, _ = workflow.starting_answers(None, folder)
    assert [(u["name"], u["role"], u["password"]) for u in answers["authentication"]["users"]] == [
        ("alice", "admin", {"keep": True}), ("bob", "admin", {"keep": True})]
    modalities = {m["name"]: m for m in answers["dicom"]["modalities"]}
    assert set(modalities) == {"ct", "mr"}  # env's host comes from the environment: left as written
    assert modalities["ct"]["allow"] == ["echo", "find", "find_worklist", "get", "move", "store", "storage_commitment"]
    assert "get" not in modalities["mr"]["allow"] and modalities["mr"]["port"] == 104
    assert [(p["name"], p["url"], p.get("username")) for p in answers["outgoing"]["peers"]] == [
        ("p1", "https://peer.example/", "u"), ("p2", "https://p2.example/", "x")]
    assert imported.config.folder == folder


def test_safe_values_are_kept_and_weak_ones_hardened_with_notes(folder):
    answers, _, notes = workflow.starting_answers(None, folder)
    assert answers["network"]["explorer"] is False and answers["limits"]["find_results"] == 20
    assert answers["authentication"]["enabled"] is True
    path = folder / "orthanc.json"
    assert f"kept network.explorer = false ({path}: $.OrthancExplorerEnabled): already at least as safe" in notes
    assert (f"hardened authentication.enabled: false → true ({path}: $.AuthenticationEnabled was less safe "
            "than the hardened default)") in notes


def test_the_preset_wins_over_the_configuration_and_names_users_roles(folder, tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"network": {"explorer": True},
                                   "authentication": {"users": [{"name": "bob", "role": "read-only"}]}}))
    answers, _, _ = workflow.starting_answers(str(profile), folder)
    assert answers["network"]["explorer"] is True
    users = [(u["name"], u["role"]) for u in answers["authentication"]["users"]]
    assert users == [("alice", "admin"), ("bob", "read-only")]


def test_prepare_with_the_starting_answers_keeps_equivalent_entries_as_written(folder):
    answers, imported, _ = workflow.starting_answers(None, folder)
    prepared = workflow.prepare(answers, "test", folder, config=imported)
    assert prepared.in_place
    text = prepared.plan.files["orthanc.json"].text
    assert text.startswith(CONFIG[:CONFIG.index('"AuthenticationEnabled"')])  # users, comments untouched
    assert '"ct" : [ "CT", "10.0.0.1", 104, "GE" ],' in text and '"Port" : "104"' in text
    assert "peer-secret-1" not in prepared.diff() and "alice-password-1" not in prepared.diff()


def test_dropping_an_entry_in_the_wizard_removes_it_and_only_it(folder):
    answers, imported, _ = workflow.starting_answers(None, folder)
    answers["authentication"]["users"] = [u for u in answers["authentication"]["users"] if u["name"] != "bob"]
    answers["dicom"]["modalities"] = [m for m in answers["dicom"]["modalities"] if m["name"] != "mr"]
    answers["dicom"]["modalities"][0]["allow"] = ["echo", "store"]
    workflow.prepare(answers, "test", folder, config=imported).write()
    result = values(folder)
    assert list(result["RegisteredUsers"]) == ["alice"] and "// the first" in (folder / "orthanc.json").read_text()
    assert set(result["DicomModalities"]) == {"ct", "env"}
    ct = result["DicomModalities"]["ct"]
    assert ct["Manufacturer"] == "GE" and ct["AllowGet"] is False


def test_out_of_place_prepare_writes_copies(folder, tmp_path):
    answers, imported, _ = workflow.starting_answers("localhost", folder)
    prepared = workflow.prepare(answers, "localhost", tmp_path / "copies", config=imported)
    assert not prepared.in_place
    prepared.write()
    assert (tmp_path / "copies" / "orthanc.json").is_file() and not list(folder.glob("*.bak"))


def test_the_new_configuration_path_is_unchanged(tmp_path):
    answers, imported, notes = workflow.starting_answers("localhost", None)
    assert imported is None and notes == []
    prepared = workflow.prepare(answers, "localhost", tmp_path / "new")
    assert set(prepared.plan.files) == {"orthanc.json", "orthanc-security.lua", "CHECKLIST.md", "orthanc-harden.jsonc"}


@pytest.mark.parametrize("failing", ["replace", "fsync", "write"])
def test_an_interrupted_write_leaves_the_old_file_whole(folder, monkeypatch, failing):
    answers, imported, _ = workflow.starting_answers("localhost", folder)
    prepared = workflow.prepare(answers, "localhost", folder, config=imported)
    target = folder / "orthanc.json"

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # as a kill between two steps would

    if failing == "replace":
        real = os.replace
        monkeypatch.setattr(files.os, "replace", lambda a, b: interrupted() if Path(b) == target else real(a, b))
    elif failing == "fsync":
        monkeypatch.setattr(files.os, "fsync", interrupted)
    else:
        monkeypatch.setattr(files.os, "fdopen", interrupted)
    with pytest.raises(KeyboardInterrupt):
        prepared.write()
    assert target.read_text() == CONFIG
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_write_is_bad_input_naming_the_file(folder, monkeypatch):
    answers, imported, _ = workflow.starting_answers("localhost", folder)
    prepared = workflow.prepare(answers, "localhost", folder, config=imported)

    def full(*args):
        raise OSError(28, "No space left on device", str(folder / "orthanc.json"))

    monkeypatch.setattr(files.os, "replace", full)
    with pytest.raises(BadInput, match="orthanc.json: \\$: cannot be written \\(No space left on device\\)"):
        prepared.write()
    assert (folder / "orthanc.json").read_text() == CONFIG


# A file changed between reading and writing (another editor, a package upgrade, the admin
# in a second terminal while the wizard's review is open) is never overwritten with an edit
# planned on its old text.

def test_a_configuration_changed_after_it_was_read_is_not_written(folder):
    answers, imported, _ = workflow.starting_answers("localhost", folder)
    prepared = workflow.prepare(answers, "localhost", folder, config=imported)
    changed = CONFIG.replace('"LimitFindResults" : 20', '"LimitFindResults" : 30')
    (folder / "orthanc.json").write_text(changed)
    before = snapshot(folder)
    with pytest.raises(StaleInput) as error:
        prepared.write()
    assert [str(p) for p in error.value.problems] == [
        f"{folder / 'orthanc.json'}: $: changed on disk since orthanc-harden read it: nothing was written"]
    assert snapshot(folder) == before  # no backup, no other file


def test_a_configuration_changed_after_import_but_before_planning_is_not_written(folder):
    # The wizard imports at start and plans at the review: the plan alone would not see it.
    answers, imported, _ = workflow.starting_answers("localhost", folder)
    (folder / "orthanc.json").write_text(CONFIG + "\n")
    prepared = workflow.prepare(answers, "localhost", folder, config=imported)
    with pytest.raises(BadInput, match="changed on disk since orthanc-harden read it"):
        prepared.write()
    assert (folder / "orthanc.json").read_text() == CONFIG + "\n"


def test_a_json_file_that_appears_in_the_folder_stops_the_write(folder):
    answers, imported, _ = workflow.starting_answers("localhost", folder)
    prepared = workflow.prepare(answers, "localhost", folder, config=imported)
    (folder / "zz-new.json").write_text('{"AuthenticationEnabled": false}')
    with pytest.raises(BadInput, match="zz-new.json: \\$: appeared since orthanc-harden read the folder"):
        prepared.write()
    assert (folder / "orthanc.json").read_text() == CONFIG


def test_a_new_configuration_whose_output_changed_since_the_review_is_not_written(tmp_path):
    answers, _, _ = workflow.starting_answers("localhost", None)
    out = tmp_path / "new"
    prepared = workflow.prepare(answers, "localhost", out)
    out.mkdir()
    (out / "orthanc.json").write_text('{"HttpPort": 8043}')
    with pytest.raises(BadInput, match="orthanc.json: \\$: changed on disk since orthanc-harden compared it"):
        prepared.write()
    assert snapshot(out) == {"orthanc.json": (b'{"HttpPort": 8043}', (out / "orthanc.json").stat().st_mode)}


def test_an_unchanged_configuration_is_written_after_the_check(folder):
    answers, imported, _ = workflow.starting_answers("localhost", folder)
    prepared = workflow.prepare(answers, "localhost", folder, config=imported)
    prepared.write()
    assert prepared.backups and (folder / "orthanc.json").read_text() != CONFIG


def test_backup_names_never_collide(tmp_path):
    path = tmp_path / "orthanc.json"
    first = replace.backup_path(path, "20261127T104500")
    first.write_text("x")
    assert first.name == "orthanc.json.orthanc-harden-20261127T104500.bak"
    assert replace.backup_path(path, "20261127T104500").name == "orthanc.json.orthanc-harden-20261127T104500-2.bak"


def test_editing_keeps_a_relative_storage_folder_and_adds_none_where_there_was_none(tmp_path):
    from wizard import workflow

    for text, expected in (('{"StorageDirectory": "OrthancStorage"}', "OrthancStorage"), ('{"Name": "x"}', None)):
        config = tmp_path / f"case-{expected}" / "orthanc.json"
        config.parent.mkdir()
        config.write_text(text)
        answers, imported, _ = workflow.starting_answers("localhost", config)
        prepared = workflow.prepare(answers, "localhost", config.parent, config=imported)
        written = json.loads(prepared.plan.files["orthanc.json"].text)
        assert written.get("StorageDirectory") == expected


def test_the_wizard_opens_a_configuration_that_breaks_the_rules_with_a_note_to_fix(tmp_path):
    """apply refuses a modality given by host name under the host check; the wizard shows it."""
    from wizard import profile, workflow
    from wizard.errors import BadInput

    config = tmp_path / "orthanc.json"
    config.write_text('{"DicomModalities": {"ct": ["CT", "ct.example.org", 104]}}')
    with pytest.raises(BadInput):
        workflow.starting_answers(None, config)
    answers, imported, notes = workflow.starting_answers(None, config, lenient=True)
    assert answers["dicom"]["modalities"][0]["host"] == "ct.example.org"
    assert any(n.startswith(f"to fix before writing: {config}: $.DicomModalities.ct") for n in notes), notes
    assert [p.path for p in profile.validate(answers, "wizard")] == ["$.dicom.modalities[0].host"]


def test_the_checklist_of_an_edit_names_the_folder_edited(tmp_path):
    from wizard import workflow

    folder = tmp_path / "etc-orthanc"
    folder.mkdir()
    (folder / "orthanc.json").write_text('{"Name": "x"}')
    answers, imported, _ = workflow.starting_answers("localhost", folder)
    assert answers["service"]["config_dir"] == str(folder.resolve())
    prepared = workflow.prepare(answers, "localhost", folder, config=imported)
    assert f"chmod 0640 {folder.resolve()}/*.json" in prepared.plan.files["CHECKLIST.md"].text


def test_copies_written_elsewhere_warn_about_every_relative_path(tmp_path):
    from wizard import workflow

    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "autoroute.lua").write_text("function OnStoredInstance(id) end\n")
    (folder / "orthanc.json").write_text(json.dumps({
        "LuaScripts": ["autoroute.lua", "/abs/other.lua", "${SCRIPTS}/x.lua"], "Plugins": ["plugins", "/usr/share/p"],
        "StorageDirectory": "db", "IndexDirectory": "/var/index", "SslCertificate": "tls/cert.pem",
        "HttpsCACertificates": "", "SslEnabled": False}))
    answers, imported, _ = workflow.starting_answers("localhost", folder)
    out = tmp_path / "out"
    elsewhere = workflow.prepare(answers, "localhost", out, config=imported)
    relative = [w.split(" relative", 1)[0] for w in elsewhere.plan.warnings if "relative to the configuration" in w]
    # The certificate is not warned about: with SslEnabled false Orthanc never opens it.
    assert relative == ["LuaScripts gives autoroute.lua", "Plugins gives plugins", "StorageDirectory gives db"]
    assert any(f"Orthanc started on the copies in {out} looks for it there" in w for w in elsewhere.plan.warnings)
    in_place = workflow.prepare(answers, "localhost", folder, config=imported)
    assert not any("relative to the configuration's folder" in w for w in in_place.plan.warnings)
