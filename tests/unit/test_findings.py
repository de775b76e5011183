"""Findings: what is weak in an Orthanc configuration, by the topics' rules."""

import json

import pytest

from wizard import findings, harden, profile, resources


def ids(config: dict) -> list[str]:
    return [f.id for f in findings.of(config)]


def test_an_empty_configuration_has_orthanc_s_weak_defaults():
    assert {"always-allow-echo", "always-allow-store", "no-host-check", "unlimited-find"} <= set(ids({}))
    assert "remote-without-authentication" not in ids({})


def test_remote_access_with_authentication_off_is_high():
    found = findings.of({"RemoteAccessAllowed": True, "AuthenticationEnabled": False})
    assert found[0].id == "remote-without-authentication" and found[0].severity == "high"


def test_remote_access_without_users_means_the_default_login():
    assert "default-user" in ids({"RemoteAccessAllowed": True})
    assert "default-user" in ids({"RemoteAccessAllowed": True, "RegisteredUsers": {}})
    assert "default-user" not in ids({"RemoteAccessAllowed": True, "RegisteredUsers": {"a": "x" * 20}})


@pytest.mark.parametrize("password", ["orthanc", "short", "alice"])
def test_weak_passwords_are_found(password):
    assert "weak-password" in ids({"RegisteredUsers": {"alice": password}})


def test_a_password_from_the_environment_is_not_judged():
    assert "weak-password" not in ids({"RegisteredUsers": {"alice": "${ALICE_PASSWORD}"}})


def test_array_form_modalities_allow_everything():
    assert "modality-all-permissions" in ids({"DicomModalities": {"ct": ["CT", "10.0.0.1", 104]}})


def test_findings_are_sorted_most_severe_first():
    severities = [f.severity for f in findings.of({"RemoteAccessAllowed": True, "ExecuteLuaEnabled": True})]
    assert severities == sorted(severities, key=findings.SEVERITIES.index)


@pytest.mark.parametrize("preset", resources.preset_names())
def test_what_a_preset_writes_has_no_high_or_medium_finding(preset):
    raw, name = profile.load(preset)
    plan = harden.plan(profile.effective(raw), name)
    config = json.loads(plan.files[harden.CONFIG_FILE].text)
    assert [f for f in findings.of(config) if f.severity != "low"] == []
