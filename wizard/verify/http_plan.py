"""The REST rows of the matrix, from the saved answers alone: each user against each rule of its
role, as orthanc/policy.py decides them, and what Orthanc answers before the filter runs."""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass, replace

from wizard.orthanc.policy import Policy, decide
from wizard.topics.authentication import policy as policy_of
from wizard.topics.authentication import weakness
from wizard.verify.checks import LOOPBACK, Check, HttpRequest, PortClosed
from wizard.verify.target import Login
from wizard.verify.vantage import Vantage, proxied, vantage

FIND = json.dumps({"Level": "Study", "Query": {}})
NOBODY = ("verify-nobody", "not-a-password")
# Addresses named in X-Forwarded-For only (documentation ranges, RFC 5737): never contacted.
OUTSIDE = ("203.0.113.7", "198.51.100.7")


@dataclass(frozen=True)
class Action:
    what: str
    method: str
    path: str
    body: str | None = None
    override: str = ""  # X-HTTP-Method-Override: the method the filter sees
    stored: bool = False  # acts on a patient or instance stored just before


ACTIONS = (
    Action("read: GET /system", "GET", "/system"),
    Action("search: POST /tools/find", "POST", "/tools/find", FIND),
    Action("upload: POST /instances", "POST", "/instances", "instance"),
    Action("delete: DELETE /patients/{id}", "DELETE", "/patients/{patient}", stored=True),
    Action("log level: PUT /tools/log-level", "PUT", "/tools/log-level", "default"),
    Action("execute-script: POST /tools/execute-script", "POST", "/tools/execute-script", "print(1)"),
    Action("export: POST /instances/{id}/export", "POST", "/instances/{instance}/export", "export", stored=True),
    Action("modality change: PUT /modalities/x", "PUT", "/modalities/verify-added",
           json.dumps({"AET": "VERIFY-ADDED", "Host": "127.0.0.1", "Port": 11112})),
    Action("method override: POST /patients/{id} as DELETE", "POST", "/patients/{patient}", override="DELETE", stored=True),
)


def keeper(answers: dict, logins: dict[str, Login]) -> tuple[str, str] | None | bool:
    """Who stores the patients that the delete and export rows act on: the first user the policy
    lets upload from here (None: anonymous, when authentication is off), or False when nobody may."""
    policy = policy_of(answers)
    if not answers["authentication"]["enabled"]:
        return None if decide(policy, "POST", "/instances", LOOPBACK, "", {}) else False
    for user in answers["authentication"]["users"]:
        login = logins[user["name"]]
        if login.password is not None and decide(policy, "POST", "/instances", LOOPBACK, login.name, {}):
            return login.name, login.password
    return False


def http_checks(answers: dict, logins: dict[str, Login], proxy_secret: str | None = None) -> list[Check]:
    """The rows; behind the proxy, `proxy_secret` (the configuration's) is sent as nginx sends it."""
    if not answers["network"]["http_enabled"]:
        return [Check("http", "HTTP port", "anyone", "closed", PortClosed("http"), "network.http_enabled is false")]
    policy, stores = replace(policy_of(answers), proxy_secret=proxy_secret), keeper(answers, logins) is not False
    if not answers["authentication"]["enabled"]:
        return [_check(policy, answers, action, "anonymous", None, stores) for action in ACTIONS]
    checks = [Check("http", "read: GET /system", "anonymous", "401", HttpRequest("GET", "/system")),
              Check("http", "search: POST /tools/find", "anonymous", "401", HttpRequest("POST", "/tools/find", FIND)),
              Check("http", "read: GET /system", f"unknown user {NOBODY[0]}", "401", HttpRequest("GET", "/system", login=NOBODY))]
    for user in answers["authentication"]["users"]:
        checks.extend(user_checks(policy, answers, user, logins[user["name"]], stores))
    return checks


def user_checks(policy: Policy, answers: dict, user: dict, login: Login, stores: bool) -> list[Check]:
    who = f"{user['name']} ({user['role']})" + (f" from {', '.join(user['from'])}" if user["from"] else "")
    if login.password is None:
        return [Check("http", "every rule of its role", who, "-", None, login.missing, login.failure)]
    checks = [Check("http", "password as handed over", who, "-", None, login.unproven)] if login.unproven else []
    if why := weakness(user["name"], login.configured or login.password):
        checks.append(Check("http", "password not weak", who, "not weak", None, broken=f"weak: {why}"))
    wrong = (login.name, login.password + "-wrong")
    checks.append(Check("http", "read with a wrong password", who, "401", HttpRequest("GET", "/system", login=wrong)))
    place = vantage(policy, answers, user["from"])
    if place.gap:
        checks.append(Check("http", "its role from inside its networks", who, "-", None, place.gap))
    credentials = (login.name, login.password)
    checks += [_check(policy, answers, action, who, credentials, stores, place) for action in ACTIONS]
    return checks + _outside(policy, who, user["from"], credentials, place)


def _check(policy: Policy, answers: dict, action: Action, who: str, login: tuple[str, str] | None, stores: bool,
           place: Vantage = Vantage()) -> Check:
    headers = (("X-HTTP-Method-Override", action.override),) if action.override else ()
    request = HttpRequest(action.method, action.path, action.body, headers + place.headers, login, place.source)
    expected, note = expectation(policy, answers, action, login[0] if login else "", stores, place)
    return Check("http", action.what, who, expected, request, note)


def expectation(policy: Policy, answers: dict, action: Action, username: str, stores: bool,
                place: Vantage = Vantage()) -> tuple[str, str]:
    """The status the answers promise from where the request comes (credentials right), and why when not obvious."""
    path = action.path.format(patient="x", instance="x")
    if not decide(policy, action.override or action.method, path, place.source, username, place.seen):
        return "403", ""
    if action.body == "export" and not answers["scripting"]["write_to_filesystem"]:
        return "403", "Orthanc refuses it: scripting.write_to_filesystem is false"
    if action.stored and not stores:
        return "404", "nothing stored to act on: no user may upload from 127.0.0.1"
    return "200", ""


def _outside(policy: Policy, who: str, networks: list[str], login: tuple[str, str], place: Vantage) -> list[Check]:
    """A read from outside the user's networks: behind the proxy a client named in X-Forwarded-For,
    else 127.0.0.1 when the role rows came from another loopback address."""
    if not networks:
        return []
    if policy.trust_forwarded_for:
        nets = [ipaddress.IPv4Network(n) for n in networks]
        address = next((a for a in OUTSIDE if not any(ipaddress.IPv4Address(a) in n for n in nets)), None)
        if address is None:
            return []
        sent = (("X-Forwarded-For", address), *proxied(policy))
        expected = "200" if decide(policy, "GET", "/system", LOOPBACK, login[0], Vantage(headers=sent).seen) else "403"
        return [Check("http", f"read through the proxy for {address}", who, expected,
                      HttpRequest("GET", "/system", headers=sent, login=login))]
    if place.source == LOOPBACK:
        return []
    expected = "200" if decide(policy, "GET", "/system", LOOPBACK, login[0], {}) else "403"
    return [Check("http", f"read from {LOOPBACK}, outside its networks", who, expected,
                  HttpRequest("GET", "/system", login=login))]
