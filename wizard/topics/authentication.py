"""Authentication, users and roles: RegisteredUsers and the generated Lua access filter."""

from __future__ import annotations

from ipaddress import ip_address, ip_network

from wizard import secrets
from wizard.errors import json_path
from wizard.orthanc.lua import render_lua
from wizard.orthanc.policy import Policy, UserRule
from wizard.topics.base import Answers, Build, Finding, Question, Step, client_url, put, read_pairs, setting, sh

NAME = "authentication"
TITLE = "Authentication and users"
LUA_FILE = "orthanc-security.lua"

QUESTIONS = (
    Question("authentication.enabled", "bool", "Require a login (HTTP Basic authentication)",
             "Without authentication anyone who reaches the port can read, change and delete every "
             "study. It is required as soon as remote access is allowed, and advised even on "
             "localhost: every local account could otherwise use the API.",
             when=lambda a: a["network"]["http_enabled"]),
    Question("authentication.users", "users", "Users and roles",
             "Each user gets a role: read-only (view and search), uploader (read-only plus "
             "uploading instances) or admin (everything). Orthanc itself gives every logged-in "
             "user full access; the generated Lua filter enforces the roles and the optional "
             "networks (from) per user. Passwords: generated (shown once), read from an "
             "environment variable, or kept from the existing configuration.",
             when=lambda a: a["network"]["http_enabled"] and a["authentication"]["enabled"]),
)


def policy(answers: Answers) -> Policy:
    users = tuple(UserRule(u["name"], u["role"], tuple(u["from"])) for u in answers["authentication"]["users"])
    return Policy(users=users, authentication=answers["authentication"]["enabled"],
                  execute_script=answers["scripting"]["execute_lua"],
                  trust_forwarded_for=answers["https"]["mode"] == "reverse-proxy")


def apply(answers: Answers, build: Build) -> None:
    if not answers["network"]["http_enabled"]:
        return
    auth = answers["authentication"]
    build.set("AuthenticationEnabled", auth["enabled"])
    if auth["enabled"]:
        build.set("RegisteredUsers", _registered_users(auth["users"], build))
    _warn_unreachable(answers, build)
    build.set("LuaScripts", [LUA_FILE])
    build.files[LUA_FILE] = render_lua(policy(answers))


def _warn_unreachable(answers: Answers, build: Build) -> None:
    """Nobody, or a user whose networks exclude 127.0.0.1, can log in to a loopback-only Orthanc."""
    if answers["network"]["remote_access"]:
        return
    if answers["authentication"]["enabled"] and not answers["authentication"]["users"]:
        build.warn("authentication is on but no user is listed: every REST request will get 401")
    for user in answers["authentication"]["users"]:
        if user["from"] and not any(ip_address("127.0.0.1") in ip_network(net) for net in user["from"]):
            build.warn(f"user {user['name']!r} can never log in: Orthanc serves 127.0.0.1 only "
                       f"and the user is limited to {', '.join(user['from'])}")


def _registered_users(users: list[dict], build: Build) -> dict[str, str]:
    existing = build.existing.get("RegisteredUsers") or {}
    registered = {}
    for index, user in enumerate(users):
        where = (build.profile_name, json_path(("authentication", "users", index, "password")))
        old = existing.get(user["name"]) if isinstance(existing.get(user["name"]), str) else None
        password, how = secrets.resolve(user["password"], old, where)
        if how == "generated":
            build.generated[f"user {user['name']}"] = password
        if how == "literal":
            build.warn(f"the password of user {user['name']!r} is written in the profile: "
                       "prefer {\"generate\": true} or {\"env\": NAME}")
        registered[user["name"]] = password
    return registered


def checklist(answers: Answers) -> list[Step]:
    users = answers["authentication"]["users"]
    if not answers["network"]["http_enabled"] or not users:
        return []
    names = ", ".join(u["name"] for u in users)
    return [Step("Hand each password to its user over a safe channel",
                 f"Users {names} log in with HTTP Basic authentication: the password crosses the "
                 "network with every request, so only over HTTPS, and it is stored in plain text "
                 "in the configuration.",
                 (f"curl -su {sh(users[0]['name'])} {client_url(answers)}/system  # asks the password; "
                  "a working login answers with the system's JSON",))]


def stranger_checks(answers: Answers) -> list[str]:
    """A command for the checklist's last step, with the answer to expect after '  # '."""
    network = answers["network"]
    if not (network["http_enabled"] and answers["authentication"]["enabled"]):
        return []
    return [f"curl -s -o /dev/null -w '%{{http_code}}\\n' http://127.0.0.1:{network['http_port']}/system"
            "  # 401: no request without a login"]


SOURCES = {"authentication.enabled": "AuthenticationEnabled", "authentication.users": "RegisteredUsers"}


def read(config: dict) -> Answers:
    answers = read_pairs(config, {"authentication.enabled": "AuthenticationEnabled"})
    users = config.get("RegisteredUsers")
    # Orthanc gives every registered user full access: imported users are admins until a profile
    # says otherwise. A name or password taken from the environment is left as written.
    found = [{"name": name, "role": "admin", "password": {"keep": True}}
             for name, password in (users.items() if isinstance(users, dict) else ())
             if isinstance(password, str) and "${" not in name]
    if found:
        put(answers, "authentication.users", found)
    return answers


# Logins of Orthanc's documentation, samples and Docker images, and the commonest defaults.
WELL_KNOWN = {"orthanc", "orthanctest", "admin", "password", "changeme", "12345", "123456", "test", "demo",
              "alice", "bob", "secret", "passw0rd", "passw0rd!", "admin123", "root", "toor", "letmein", "qwerty"}
MIN_LENGTH = 12


def well_known(name: str, password: str) -> bool:
    """A password anyone would try first: Orthanc's samples, common defaults, the user's own name."""
    return password.lower() in WELL_KNOWN or password.lower() == name.lower()


def weakness(name: str, password: str) -> str | None:
    """Why a plain password is weak, or None; a `${VAR}` password cannot be judged."""
    if "${" in password:
        return None
    if well_known(name, password):
        return "a well-known password" if password.lower() != name.lower() else "the user's own name as password"
    if len(password) < MIN_LENGTH:
        return f"shorter than {MIN_LENGTH} characters"
    return None


def findings(config: dict) -> list[Finding]:
    users = config.get("RegisteredUsers")
    found = []
    if setting(config, "RemoteAccessAllowed", False) and not users and setting(
            config, "AuthenticationEnabled", True) is not False:
        found.append(Finding("default-user", "high", "RegisteredUsers",
                             "remote access with no registered user: Orthanc up to 1.12.8 creates the "
                             "well-known orthanc:orthanc login"))
    for name, password in (users.items() if isinstance(users, dict) else ()):
        why = weakness(name, password) if isinstance(password, str) else None
        if why:
            found.append(Finding("weak-password", "high", f"RegisteredUsers.{name}",
                                 f"user {name!r} has a weak password ({why})"))
    if users and not config.get("LuaScripts"):
        found.append(Finding("no-role-filter", "medium", "LuaScripts",
                             "every registered user has full access: no access filter restricts roles"))
    return found
