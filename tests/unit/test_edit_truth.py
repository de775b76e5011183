"""Editing the configurations admins have: never lock them out, never invent, never keep a danger silently."""

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.edit_support import BROKEN, CORPUS, values
from tests.unit.conftest import snapshot
from wizard import workflow
from wizard.orthanc import document

SITE = ("--set", "https.server_name=pacs.test")
REMOTE_ALICE = {"RemoteAccessAllowed": True, "AuthenticationEnabled": True,
                "RegisteredUsers": {"alice": "correct-horse-battery-staple"}}


def folder_with(tmp_path: Path, config: dict | str) -> Path:
    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "orthanc.json").write_text(config if isinstance(config, str) else json.dumps(config, indent=2) + "\n")
    return folder


def empty_profile(tmp_path: Path) -> Path:
    path = tmp_path / "empty.jsonc"
    path.write_text("{}\n")
    return path


def test_editing_with_a_profile_silent_on_the_network_keeps_remote_access(run_cli, tmp_path):
    folder = folder_with(tmp_path, REMOTE_ALICE)
    code, out, err = run_cli("apply", "--preset", empty_profile(tmp_path), "--config", folder)
    assert code == 0, out + err
    assert values(folder / "orthanc.json")["RemoteAccessAllowed"] is True
    assert "RemoteAccessAllowed true → false" not in out
    assert "kept network.remote_access = true" in out


def test_a_preset_that_turns_remote_access_off_says_so_first_and_who_asked(run_cli, tmp_path):
    folder = folder_with(tmp_path, REMOTE_ALICE)
    code, out, err = run_cli("apply", "--preset", "localhost", "--config", folder, "--check")
    assert code == 1, out + err
    first = out.splitlines()[0]
    assert first.startswith("would change who can reach Orthanc: remote clients lose access: "
                            "RemoteAccessAllowed true → false (asked by preset localhost)"), out


def test_set_names_the_answer_that_changed_reachability(run_cli, tmp_path):
    folder = folder_with(tmp_path, REMOTE_ALICE)
    code, out, _ = run_cli("apply", "--preset", empty_profile(tmp_path), "--set", "network.remote_access=false",
                           "--config", folder, "--check")
    assert code == 1 and "(asked by --set network.remote_access)" in out.splitlines()[0]


def test_the_wizard_starts_editing_with_remote_access_as_the_file_has_it(tmp_path):
    folder = folder_with(tmp_path, REMOTE_ALICE)
    answers, _, _ = workflow.starting_answers(None, folder, lenient=True)
    assert answers["network"]["remote_access"] is True


@pytest.mark.parametrize("preset", ["localhost", "intranet", "internet-proxy", "cloud-no-dicom"])
def test_no_preset_invents_a_modality_a_peer_or_a_server_name(run_cli, tmp_path, preset):
    folder = folder_with(tmp_path, {"RegisteredUsers": {"alice": "correct-horse-battery-staple"}})
    code, out, err = run_cli("apply", "--preset", preset, *SITE, "--config", folder)
    assert code == 0, out + err
    written = values(folder / "orthanc.json")
    assert written.get("DicomModalities", {}) == {} and written.get("OrthancPeers", {}) == {}
    everything = "".join(p.read_text() for p in folder.iterdir() if p.is_file())
    for invented in ("ct1", "viewer1", "10.0.0.10", "10.0.0.20", "pacs.example.org"):
        assert invented not in everything


def test_a_proxy_without_a_server_name_is_refused_naming_the_key_and_the_set_that_gives_it(run_cli, tmp_path):
    out_dir = tmp_path / "out"
    code, out, err = run_cli("apply", "--preset", "intranet", "--out", out_dir)
    assert code == 2 and "$.https.server_name" in err and "--set https.server_name=" in err
    assert not out_dir.exists()


def test_a_profile_extends_a_preset_and_keeps_its_posture(run_cli, tmp_path):
    profile = tmp_path / "site.jsonc"
    profile.write_text('{ "extends": "intranet", "https": { "server_name": "pacs.hospital.test" },\n'
                       '  "dicom": { "modalities": [ { "name": "ct2", "aet": "CT2", "host": "127.0.0.5", '
                       '"port": 104, "allow": ["store"] } ] } }\n')
    code, out, err = run_cli("apply", "--preset", profile, "--out", tmp_path / "out")
    assert code == 0, out + err
    written = json.loads((tmp_path / "out" / "orthanc.json").read_text())
    assert written["RemoteAccessAllowed"] is False and set(written["RegisteredUsers"]) == {"admin", "viewer", "uploader"}
    assert list(written["DicomModalities"]) == ["ct2"]
    assert "server_name pacs.hospital.test;" in (tmp_path / "out" / "nginx-orthanc.conf").read_text()


def test_an_extends_loop_is_bad_input(run_cli, tmp_path):
    (tmp_path / "a.jsonc").write_text('{"extends": "b.jsonc"}')
    (tmp_path / "b.jsonc").write_text('{"extends": "a.jsonc"}')
    code, _, err = run_cli("apply", "--preset", tmp_path / "a.jsonc", "--out", tmp_path / "out")
    assert code == 2 and "$.extends" in err and "loop" in err


@pytest.mark.parametrize("item", ["network.nope=1", "no-equals-sign", "dicom.port=seventy"])
def test_a_bad_set_is_bad_input_naming_it(run_cli, tmp_path, item):
    code, _, err = run_cli("apply", "--preset", "localhost", "--set", item, "--out", tmp_path / "out")
    assert code == 2 and err.startswith("--set: $") and not (tmp_path / "out").exists()


@pytest.mark.parametrize("password", ["orthanc", "demo", "alice"])
def test_a_well_known_password_is_rotated_and_handed_over(run_cli, tmp_path, password):
    folder = folder_with(tmp_path, {"RemoteAccessAllowed": True, "RegisteredUsers": {"alice": password}})
    secrets = tmp_path / "secrets.txt"
    code, out, err = run_cli("apply", "--preset", empty_profile(tmp_path), "--config", folder,
                             "--secrets-file", secrets)
    assert code == 0, out + err
    new = values(folder / "orthanc.json")["RegisteredUsers"]["alice"]
    assert new != password and len(new) == 24 and f"user alice: {new}" in secrets.read_text()
    assert "rotated the weak password of user 'alice'" in out
    assert "who can reach" not in out or "alice" not in out.split("rotated")[0]
    # The next run keeps the new password and changes nothing.
    before = snapshot(folder)
    assert run_cli("apply", "--preset", empty_profile(tmp_path), "--config", folder, "--check")[0] == 0
    assert snapshot(folder) == before


def test_keep_weak_passwords_keeps_it_and_warns(run_cli, tmp_path):
    folder = folder_with(tmp_path, {"RegisteredUsers": {"orthanc": "orthanc"}})
    code, out, err = run_cli("apply", "--preset", "intranet", *SITE, "--config", folder, "--keep-weak-passwords")
    assert code == 0, out + err
    assert values(folder / "orthanc.json")["RegisteredUsers"]["orthanc"] == "orthanc"
    assert "finding: OH-AUTH-002 (high) Well-known or weak password: user 'orthanc'" in err and "rotated" not in out


def test_a_short_password_is_rotated_like_a_well_known_one_and_kept_flagged_when_asked(run_cli, tmp_path):
    folder = folder_with(tmp_path, {"RegisteredUsers": {"tamara": "x7#kq"}})
    code, out, err = run_cli("apply", "--preset", "localhost", "--config", folder, "--check")
    assert code == 1 and "would rotate the weak password of user 'tamara'" in out
    assert "(shorter than 12 characters: --keep-weak-passwords keeps it)" in out
    code, out, err = run_cli("apply", "--preset", "localhost", "--config", folder, "--keep-weak-passwords")
    assert code == 0 and values(folder / "orthanc.json")["RegisteredUsers"]["tamara"] == "x7#kq"
    assert "finding: OH-AUTH-002 (medium) Well-known or weak password: user 'tamara'" in err
    assert "shorter than 12 characters) and can log in from this host only" in err


def test_a_user_named_from_the_environment_stays_in_the_filter(run_cli, tmp_path):
    folder = folder_with(tmp_path, {"RemoteAccessAllowed": True,
                                    "RegisteredUsers": {"${ORTHANC_USERNAME}": "${ORTHANC_PASSWORD}"}})
    code, out, err = run_cli("apply", "--preset", empty_profile(tmp_path), "--config", folder)
    assert code == 0, out + err
    assert values(folder / "orthanc.json")["RegisteredUsers"] == {"${ORTHANC_USERNAME}": "${ORTHANC_PASSWORD}"}
    lua = (folder / "orthanc-security.lua").read_text()
    assert 'from_env("ORTHANC_USERNAME", "")' in lua


def test_the_diff_masks_password_values_only(run_cli, tmp_path):
    folder = folder_with(tmp_path, {"RegisteredUsers": {"orthanc": "orthanc"},
                                    "Plugins": ["/usr/share/orthanc/plugins"]})
    code, out, _ = run_cli("apply", "--preset", "localhost", "--config", folder, "--check", "--diff",
                           "--keep-weak-passwords")
    assert code == 1
    assert "/usr/share/orthanc/plugins" in out and "orthanc-security.lua" in out and "orthanc-harden" in out
    assert '"orthanc": "orthanc"' not in out


def test_modalities_orthanc_keeps_in_its_database_are_not_written_and_said(run_cli, tmp_path):
    config = {"DicomModalitiesInDatabase": True, "OrthancPeersInDatabase": True}
    folder = folder_with(tmp_path, config)
    profile = tmp_path / "p.jsonc"
    profile.write_text('{"dicom": {"modalities": [{"name": "ct", "aet": "CT", "host": "127.0.0.5", "port": 104}]}}')
    code, out, err = run_cli("apply", "--preset", profile, "--config", folder)
    assert code == 0, out + err
    written = values(folder / "orthanc.json")
    assert "DicomModalities" not in written and written["DicomModalitiesInDatabase"] is True
    assert "DicomModalitiesInDatabase is true" in err and "/modalities?expand" in err
    checklist = (folder / "CHECKLIST.md").read_text()
    assert "modalities of Orthanc's database" in checklist and "127.0.0.5" not in checklist


def test_check_says_would_and_a_second_run_notes_no_change(run_cli, tmp_path):
    folder = folder_with(tmp_path, {"RemoteAccessAllowed": False})
    (folder / "orthanc.json").chmod(0o644)
    code, out, _ = run_cli("apply", "--preset", "localhost", "--config", folder, "--check")
    assert code == 1 and "would tighten" in out and "\ntightened" not in out and "\nadded" not in out
    assert run_cli("apply", "--preset", "localhost", "--config", folder)[0] == 0
    code, out, _ = run_cli("apply", "--preset", "localhost", "--config", folder, "--check")
    assert code == 0 and "would change" not in out and "would add" not in out and "would harden" not in out


def test_a_hardened_answer_that_is_not_written_is_not_noted(run_cli, tmp_path):
    folder = folder_with(tmp_path, {"DicomTlsRemoteCertificateRequired": False})
    code, out, _ = run_cli("apply", "--preset", "localhost", "--config", folder, "--check")
    assert "remote_certificate_required" not in out
    assert values(folder / "orthanc.json")["DicomTlsRemoteCertificateRequired"] is False


def test_host_name_refusal_advice_keeps_the_preset(run_cli, tmp_path):
    folder = folder_with(tmp_path, {"DicomModalities": {"ct": {"AET": "CT", "Host": "ct.local", "Port": 104}}})
    code, _, err = run_cli("apply", "--preset", "intranet", *SITE, "--config", folder)
    assert code == 2 and "--set dicom.check_modality_host=false" in err
    code, out, err = run_cli("apply", "--preset", "intranet", *SITE, "--set", "dicom.check_modality_host=false",
                             "--config", folder)
    assert code == 0, out + err
    written = values(folder / "orthanc.json")
    assert written["RemoteAccessAllowed"] is False and "admin" in written["RegisteredUsers"]  # intranet's posture


NATIVE_HTTPS = {"07"}  # SslEnabled true: Debian's 1.10.1 crashes at the first TLS request
CHANGE_VERBS = ("added", "changed", "removed", "hardened", "replaced", "rotated")


def noted_paths(out: str, path: Path) -> set[str]:
    """The top-level keys the change notes name in this file (`FILE: $.Key`)."""
    place = re.compile(re.escape(str(path)) + r": \$(?:\.([A-Za-z0-9_]+)|\['([^']+)'\])")
    found = set()
    for line in out.splitlines():
        if line.split(" ", 1)[0] in CHANGE_VERBS and "who can reach" not in line:
            found.update(a or b for a, b in place.findall(line)[:1])
    return found


def diff_paths(before: str, after: str) -> set[str]:
    old, new = document.parse(before), document.parse(after)
    spans = lambda doc: {m.key: doc.text[m.node.start:m.node.end] for m in doc.root.members}  # noqa: E731
    a, b = spans(old), spans(new)
    return {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}


READABLE = [p for p in CORPUS if p.name[:2] not in BROKEN]  # the broken ones: tests/unit/test_edit_corpus.py


@pytest.mark.parametrize("preset", ["localhost", "intranet", "internet-proxy", "cloud-no-dicom"])
@pytest.mark.parametrize("source", READABLE, ids=[p.name[:2] for p in READABLE])
def test_corpus_notes_and_diff_agree_path_for_path_and_nothing_is_invented(run_cli, tmp_path, source, preset):
    folder = tmp_path / "conf"
    folder.mkdir()
    path = folder / "orthanc.json"
    shutil.copyfile(source, path)
    before = path.read_text("utf-8")
    code, out, err = run_cli("apply", "--preset", preset, *SITE, "--set", "dicom.check_modality_host=false",
                             "--config", path)
    if preset == "localhost" and source.name[:2] in NATIVE_HTTPS:
        assert code == 2 and "crashes" in err and path.read_text("utf-8") == before  # kept from the file: refused
        return
    assert code == 0, out + err
    after = path.read_text("utf-8")
    assert noted_paths(out, path) == diff_paths(before, after)
    old, new = document.parse(before).root.value, values(path)
    for key in ("DicomModalities", "OrthancPeers"):
        assert set((new.get(key) or {})) <= set((old.get(key) or {})), key
    if preset == "localhost" and old.get("RemoteAccessAllowed") is True:
        assert "RemoteAccessAllowed true → false (asked by preset localhost)" in out
    if "RemoteAccessAllowed" in old and old["RemoteAccessAllowed"] != new.get("RemoteAccessAllowed"):
        assert "who can reach Orthanc" in out and "RemoteAccessAllowed" in out
    assert "pacs.example.org" not in "".join(p.read_text("utf-8", "replace") for p in folder.glob("*") if p.is_file())


def test_the_wizard_takes_set_answers_on_every_way_to_start(tmp_path):
    from wizard.commands.interactive import starts
    folder = folder_with(tmp_path, REMOTE_ALICE)
    given = {"https": {"server_name": "pacs.hospital.test"}}
    origins, chosen = starts("intranet", str(folder), None, debian=None, given=given)
    assert chosen == "edit"
    assert {o.key: o.answers["https"]["server_name"] for o in origins if "https" in o.answers} == {
        o.key: "pacs.hospital.test" for o in origins if "https" in o.answers}
    edit = next(o for o in origins if o.key == "edit")
    assert edit.answers["https"]["mode"] == "reverse-proxy" and edit.answers["network"]["remote_access"] is True


def test_apply_says_what_the_audit_still_finds_in_the_audit_s_words(run_cli, tmp_path):
    from wizard import findings
    folder = folder_with(tmp_path, {"RemoteAccessAllowed": True, "RegisteredUsers": {"bob": "bob"}})
    code, out, err = run_cli("apply", "--preset", empty_profile(tmp_path), "--config", folder, "--keep-weak-passwords",
                             "--json")
    assert code == 0, err
    said = {f["id"]: f for f in json.loads(out)["findings"]}
    assert {"OH-AUTH-002", "OH-TLS-001"} <= set(said)  # kept as asked, and no TLS: never silently
    rule = findings.RULES["OH-TLS-001"]
    assert f"finding: OH-TLS-001 ({rule.severity}) {rule.title}: {said['OH-TLS-001']['message']}" in err
    assert "clear text" not in err  # the rule's words only, not a second wording


def test_a_set_that_is_not_json_is_refused_without_echoing_it(run_cli, tmp_path):
    code, _, err = run_cli("apply", "--preset", "localhost", "--set",
                           'authentication.users=[{"name": "a", "password": "s3cret-pw-1234",}', "--out", tmp_path / "o")
    assert code == 2 and "$.authentication.users" in err and "s3cret" not in err and not (tmp_path / "o").exists()
