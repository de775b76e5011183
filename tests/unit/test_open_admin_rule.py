"""OH-AUTH-011: an admin that may log in from any address of a server other machines reach; roles
and networks from a run's answers, or every user when no filter gives roles (issue 18, item 5)."""

from __future__ import annotations

import pytest

from wizard import findings, profile
from wizard.topics.authentication import login_checks
from wizard.topics.base import Facts

USERS = {"AuthenticationEnabled": True, "RegisteredUsers": {"orthanc": "q7Vd9-Kp2mX4-tR8wZ"}}


def open_admins(config: dict, facts: Facts = Facts()) -> list[str]:
    return [f.message for f in findings.of(config, facts) if f.id == "OH-AUTH-011"]


def answers(remote: bool = True, role: str = "admin", networks=(), mode: str = "none") -> dict:
    return profile.effective({"network": {"remote_access": remote}, "https": {"mode": mode},
                              "authentication": {"users": [{"name": "orthanc", "role": role, "from": list(networks)}]}})


def test_without_a_filter_every_user_of_a_remote_server_is_an_admin_from_any_address():
    assert open_admins({**USERS, "RemoteAccessAllowed": True}) == [
        "user 'orthanc' has full access and may log in from any address that reaches the server"]
    assert open_admins({**USERS, "RemoteAccessAllowed": False}) == []
    assert open_admins({**USERS, "RemoteAccessAllowed": True, "AuthenticationEnabled": False}) == []


def test_with_a_filter_and_no_answers_the_roles_are_not_guessed():
    assert open_admins({**USERS, "RemoteAccessAllowed": True, "LuaScripts": ["orthanc-security.lua"]}) == []


@pytest.mark.parametrize("facts, expected", [
    (Facts(answers=answers()), 1),
    (Facts(answers=answers(mode="reverse-proxy")), 1),  # remote clients through the proxy
    (Facts(answers=answers(networks=["127.0.0.1/32"])), 0),
    (Facts(answers=answers(networks=["10.20.0.0/16"])), 0),  # a network of its own: limited on purpose
    (Facts(answers=answers(role="read-only")), 0),
])
def test_with_a_run_s_answers_an_admin_with_no_network_of_its_own_is_the_finding(facts, expected):
    config = {**USERS, "RemoteAccessAllowed": True, "LuaScripts": ["orthanc-security.lua"]}
    assert len(open_admins(config, facts)) == expected
    assert open_admins({**config, "RemoteAccessAllowed": False}, Facts(answers=answers(remote=False))) == []


def test_the_checklist_logs_in_with_the_admin_limited_on_purpose_before_an_open_one():
    chosen = profile.effective({"network": {"remote_access": True}, "authentication": {"users": [
        {"name": "orthanc", "role": "admin"}, {"name": "admin", "role": "admin", "from": ["127.0.0.1/32"]}]}})
    assert login_checks(chosen)[0].startswith("curl -sfu admin http://127.0.0.1:8042/system")
