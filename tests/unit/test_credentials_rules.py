"""Empty, blank, unset and weak credentials: one finding per fact in audit, the same rule in an
edit, refused in a profile (issue 16, items 4 and 5; issue 18, item 3)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.tui.conftest import editing_flow
from wizard import cli, findings, password_checks, profile
from wizard.topics.base import Facts


def found(config: dict, facts: Facts = Facts()) -> list[tuple[str, str, str]]:
    return [(f.id, f.severity, f.message) for f in findings.of(config, facts) if f.id.startswith("OH-AUTH-0")
            and f.id not in ("OH-AUTH-005", "OH-AUTH-006")]


def answers(remote: bool, mode: str = "none", networks=()) -> dict:
    """A run's answers: the proxy and the user's networks, which the files cannot show."""
    return profile.effective({"network": {"remote_access": remote}, "https": {"mode": mode},
                              "authentication": {"users": [{"name": "radris", "role": "admin",
                                                            "from": list(networks)}]}})


@pytest.mark.parametrize("users, said", [
    ({"": ""}, "user '' has an empty user name and an empty password"),
    ({" ": "q7Vd9-Kp2mX4-tR8wZ"}, "user ' ' has a blank user name"),
    ({"radris": ""}, "user 'radris' has an empty password"),
    ({"radris": "   "}, "user 'radris' has a blank password"),
])
def test_an_empty_or_blank_user_name_or_password_is_one_critical_finding(users, said):
    assert found({"AuthenticationEnabled": True, "RegisteredUsers": users}) == [("OH-AUTH-009", "critical", said + ": nobody has to guess it")]


@pytest.mark.parametrize("users, variables", [
    ({"admin": "${ADMIN_PASSWORD}"}, ["ADMIN_PASSWORD"]),
    ({"${ADMIN_USER}": "q7Vd9-Kp2mX4-tR8wZ"}, ["ADMIN_USER"]),
    ({"admin": "${A}${B:-}"}, ["A", "B"]),
    ({"admin": "${ADMIN_PASSWORD:-q7Vd9-Kp2mX4-tR8wZ}"}, []),
    ({"admin": "x${ADMIN_PASSWORD}"}, []),
])
def test_a_user_name_or_password_a_missing_variable_empties_is_a_finding_naming_it(users, variables):
    unset = [m for i, _, m in found({"AuthenticationEnabled": True, "RegisteredUsers": users}) if i == "OH-AUTH-010"]
    if not variables:
        assert unset == []
    else:
        assert len(unset) == 1 and all(f"${{{v}}}" in unset[0] for v in variables), unset


@pytest.mark.parametrize("facts, severity", [
    (Facts(), "medium"),  # the files alone: no remote access
    (Facts(answers=answers(remote=True, mode="reverse-proxy")), "high"),  # behind the proxy
    (Facts(answers=answers(remote=True, networks=["127.0.0.1/32"])), "medium"),  # limited to loopback
    (Facts(answers=answers(remote=True, networks=["10.0.0.0/8", "127.0.0.1/32"])), "high"),
    (Facts(answers=answers(remote=False)), "medium"),
])
def test_a_weak_password_is_high_only_for_a_user_who_can_log_in_from_another_machine(facts, severity):
    config = {"AuthenticationEnabled": True, "RegisteredUsers": {"radris": "radris123"}}
    assert [s for i, s, _ in found(config, facts) if i == "OH-AUTH-002"] == [severity]


@pytest.mark.parametrize("release, present, said, severity", [
    (None, True, "Orthanc up to 1.12.8 creates the well-known orthanc:orthanc login", "critical"),
    ((1, 12, 8), True, "Orthanc 1.12.8 creates the well-known orthanc:orthanc login", "critical"),
    ((1, 12, 9), True, "Orthanc 1.12.9 starts and refuses every login", "info"),
    ((1, 12, 10), False, "Orthanc 1.12.10 creates the well-known orthanc:orthanc login", "critical"),
    ((1, 13, 0), True, "Orthanc 1.13.0 starts and refuses every login", "info"),
    ((1, 13, 0), False, "Orthanc 1.13.0 refuses to start", "info"),
])
def test_remote_access_with_no_user_says_what_the_target_release_does(release, present, said, severity):
    config = {"RemoteAccessAllowed": True, **({"RegisteredUsers": {}} if present else {})}
    assert found(config, Facts(target=release)) == [
        ("OH-AUTH-001", severity, f"remote access with no registered user: {said}")]


@pytest.mark.parametrize("user, place, message", [
    ({"name": "admin ", "role": "admin"}, "$.authentication.users[0].name", "must not start or end with a space"),
    ({"name": "\tadmin", "role": "admin"}, "$.authentication.users[0].name", "control character"),
    ({"name": "ad\nmin", "role": "admin"}, "$.authentication.users[0].name", "control character"),
    ({"name": "admin", "role": "admin", "password": "  "}, "$.authentication.users[0].password",
     "the password: must not be empty or only spaces"),
])
def test_a_profile_with_a_blank_password_or_a_name_nobody_can_type_is_refused_naming_the_place(
        tmp_path, capsys, user, place, message):
    path = tmp_path / "p.jsonc"
    path.write_text(json.dumps({"extends": "localhost", "authentication": {"users": [user]}}))
    assert cli.main(["apply", "--preset", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: {place}: ") and message in err
    assert not (tmp_path / "out").exists()


def test_the_wizard_s_import_leaves_a_blank_user_out_and_its_review_says_it_is_removed(tmp_path):
    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "orthanc.json").write_text(json.dumps(
        {"RemoteAccessAllowed": True, "RegisteredUsers": {"": "", "radris": "q7Vd9-Kp2mX4-tR8wZ"}}))
    flow, _ = editing_flow(folder)
    assert [u["name"] for u in flow.answers["authentication"]["users"]] == ["radris"]
    notes = flow.prepare().plan.notes
    assert notes[0].startswith("changed who can reach Orthanc: user '' loses access: removed from RegisteredUsers")


def test_the_wizard_refuses_a_typed_password_of_spaces_and_says_so():
    assert password_checks.rate("radris", "   ").refused == "too weak: only spaces"


def test_audit_judges_a_weak_password_behind_the_proxy_from_the_answers_saved_beside_the_files(tmp_path, capsys):
    (tmp_path / "orthanc.json").write_text(json.dumps(
        {"RemoteAccessAllowed": False, "AuthenticationEnabled": True, "RegisteredUsers": {"radris": "radris123"}}))
    severities = []
    behind_the_proxy = {"network": {"remote_access": True}, "https": {"mode": "reverse-proxy", "server_name": "pacs.test"},
                        "authentication": {"users": [{"name": "radris", "role": "admin"}]}}
    for saved in ({}, behind_the_proxy):
        (tmp_path / "orthanc-harden.jsonc").write_text(json.dumps(saved))
        cli.main(["audit", str(tmp_path), "--format", "json"])
        severities += [f["severity"] for f in json.loads(capsys.readouterr().out)["findings"] if f["id"] == "OH-AUTH-002"]
    assert severities == ["medium", "high"]


def test_a_compose_password_emptied_by_an_unset_variable_is_one_finding_naming_the_variable(tmp_path, capsys):
    example = Path(__file__).resolve().parents[1] / "data" / "audit" / "negative" / "OH-DOCKER-007"
    shutil.copytree(example, tmp_path / "site")
    cli.main(["audit", str(tmp_path / "site"), "--format", "json"])
    ids = [f["id"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert "OH-DOCKER-007" in ids and "OH-AUTH-009" not in ids
