"""Findings: what is weak in an Orthanc configuration, by the topics' rules."""

import re

import pytest

from wizard import findings
from wizard.topics.base import SEVERITIES, Facts


def ids(config: dict, facts: Facts = Facts()) -> list[str]:
    return [f.id for f in findings.of(config, facts)]


def test_an_empty_configuration_has_orthanc_s_weak_defaults():
    # DicomAlwaysAllowEcho/Store, no host check, no called-AET check, unlimited finds, WebDAV.
    assert {"OH-DICOM-001", "OH-DICOM-002", "OH-DICOM-007", "OH-DICOM-008", "OH-LIM-001", "OH-LIM-002",
            "OH-WEB-001"} <= set(ids({}))
    assert "OH-NET-001" not in ids({})


def test_remote_access_with_authentication_off_is_critical():
    found = findings.of({"RemoteAccessAllowed": True, "AuthenticationEnabled": False})
    assert found[0].id == "OH-NET-001" and found[0].severity == "critical"


def test_remote_access_without_users_means_the_default_login():
    assert "OH-AUTH-001" in ids({"RemoteAccessAllowed": True})
    assert "OH-AUTH-001" in ids({"RemoteAccessAllowed": True, "RegisteredUsers": {}})
    assert "OH-AUTH-001" not in ids({"RemoteAccessAllowed": True, "RegisteredUsers": {"a": "x" * 20}})


def test_from_1_12_9_remote_access_without_users_is_only_information():
    found = [f for f in findings.of({"RemoteAccessAllowed": True, "RegisteredUsers": {}}, Facts(target=(1, 12, 9)))
             if f.id == "OH-AUTH-001"]
    assert [(f.severity, f.message.endswith("Orthanc 1.12.9 starts and refuses every login")) for f in found] \
        == [("info", True)]


@pytest.mark.parametrize("password", ["orthanc", "orthanctest", "Radiology", "Xy7!q"])
@pytest.mark.parametrize("remote, severity", [(True, "high"), (False, "medium")])
def test_weak_passwords_are_found_high_when_the_user_can_log_in_from_another_machine(password, remote, severity):
    config = {"RemoteAccessAllowed": remote, "RegisteredUsers": {"radiology": password}}
    found = [f for f in findings.of(config) if f.id == "OH-AUTH-002"]
    assert [f.severity for f in found] == [severity]
    assert found[0].current is None and password not in found[0].message  # never shown


def test_a_password_from_the_environment_is_not_judged():
    assert "OH-AUTH-002" not in ids({"RegisteredUsers": {"alice": "${ALICE_PASSWORD}"}})


def test_array_form_modalities_allow_everything():
    found = [f for f in findings.of({"DicomModalities": {"ct": ["CT", "10.0.0.1", 104]}}) if f.id == "OH-DICOM-010"]
    assert [f.path for f in found] == [("DicomModalities", "ct")]


def test_findings_are_sorted_most_severe_first():
    severities = [f.severity for f in findings.of({"RemoteAccessAllowed": True, "ExecuteLuaEnabled": True})]
    assert severities == sorted(severities, key=SEVERITIES.index)


def test_every_rule_has_a_stable_id_with_its_topic_s_prefix_and_says_why_and_how():
    for rule in findings.RULES.values():
        assert re.fullmatch(r"OH-[A-Z]+-[0-9]{3}", rule.id), rule.id
        assert rule.severity in SEVERITIES and rule.title and len(rule.why) > 40, rule.id
        assert rule.sets or rule.fix, f"{rule.id} says no way to fix it"
        assert rule.doc.startswith("https://"), rule.id
    prefixes = {source.__name__: {rule.id.split("-")[1] for rule in source.RULES} for source in findings.SOURCES}
    assert all(len(p) == 1 for p in prefixes.values() if p), prefixes  # one prefix per topic
    assert len({p for ps in prefixes.values() for p in ps}) == len([p for p in prefixes.values() if p])


def test_every_fix_names_an_answer_of_the_profile():
    from wizard import overrides
    for rule in findings.RULES.values():
        if rule.sets:
            assert overrides.parse(list(rule.sets)), rule.id  # BadInput if an id or a value is not the profile's
