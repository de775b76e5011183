"""Authentication, users and roles: RegisteredUsers and the generated Lua access filter."""

from __future__ import annotations

import re
from ipaddress import ip_address, ip_network

from wizard import secrets, versions
from wizard.errors import json_path
from wizard.orthanc import depth
from wizard.orthanc.lua import render_lua
from wizard.orthanc.policy import Policy, UserRule, env_name
from wizard.topics.base import Answers, Build, Finding, Question, Step, client_url, put, read_pairs, setting, sh
from wizard.orthanc import lua_scripts, releases
from wizard.topics import network
from wizard.topics.base import BOOK, NO_FACTS, SECURING, Facts, Rule, readable_by_others

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
             "Each user gets a role: read-only (view and download, also by DICOMweb QIDO-RS and WADO-RS; "
             "searching and zips by POST are the next answer), uploader (read-only plus storing instances, "
             "also by DICOMweb STOW-RS) or admin (everything, deleting and changing included, and whatever "
             "makes Orthanc contact a peer, a modality or a DICOMweb server). " + depth.UPLOAD_RISK + " Orthanc itself "
             "gives every logged-in user full access; the generated Lua filter enforces the roles "
             "and the optional networks (from) per user. Passwords: generated (shown once), read from an "
             "environment variable, or kept from the existing configuration.",
             when=lambda a: a["network"]["http_enabled"] and a["authentication"]["enabled"]),
    Question("authentication.search_and_zips", "bool", "Readers may search and build zips (POST with a JSON body)",
             "Orthanc Explorer's search and the zip downloads of some clients are POSTs whose body is JSON "
             "(/tools/find, /tools/create-archive, /{patients|studies|series}/{id}/archive...). On by default "
             "where Orthanc Explorer is on. " + depth.RISK + " Off: readers and uploaders keep every GET "
             "(browsing in Orthanc Explorer, the Web viewer, DICOMweb, GET archives) and send no JSON body.",
             when=lambda a: a["network"]["http_enabled"] and a["authentication"]["enabled"]
             and any(u["role"] != "admin" for u in a["authentication"]["users"])),
)


def policy(answers: Answers) -> Policy:
    users = tuple(UserRule(u["name"], u["role"], tuple(u["from"])) for u in answers["authentication"]["users"])
    return Policy(users=users, authentication=answers["authentication"]["enabled"],
                  execute_script=answers["scripting"]["execute_lua"],
                  trust_forwarded_for=answers["https"]["mode"] == "reverse-proxy",
                  search_and_zips=answers["authentication"]["search_and_zips"])


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
        # One rule (issue 16, item 5): every weak password is replaced unless --keep-weak-passwords,
        # an empty or blank one always; a weak one kept is OH-AUTH-002, said by apply and the wizard.
        weak = old is not None and user["password"] == {"generate": True} and weakness(user["name"], old) is not None
        if weak and (not build.keep_weak or blank(old)):
            old = None
            build.rotated.append(user["name"])
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
                 f"Users {names} log in with HTTP Basic authentication at {client_url(answers)}: the "
                 "password crosses the network with every request, so only over HTTPS, and it is stored "
                 "in plain text in the configuration. The last step checks a login.",
                 (f"grep -l RegisteredUsers {sh(answers['service']['config_dir'])}/*.json  # the file with "
                  "the passwords: hand each one over in person or by phone, never by e-mail or chat",), stage="after")]


def login_checks(answers: Answers) -> list[str]:
    """For the checklist's last step: a login that must work, made on this host to Orthanc itself
    (no proxy, no firewall, no other step in the way), by an admin if one may log in from here."""
    network, auth = answers["network"], answers["authentication"]
    if not (network["http_enabled"] and auth["enabled"] and auth["users"]):
        return []
    here = [u for u in auth["users"] if env_name(u["name"]) is None
            and (not u["from"] or any(ip_address("127.0.0.1") in ip_network(net) for net in u["from"]))]
    if not here:
        return [f"# no user may log in from this host (each is limited to its networks): from one of them, "
                f"curl -su {sh(auth['users'][0]['name'])} {client_url(answers)}/system"]
    user = min(here, key=lambda u: (u["role"] != "admin", not u["from"]))  # an admin limited on purpose first
    return [f"curl -sfu {sh(user['name'])} {local_url(answers)}/system  # asks {user['name']}'s password; "
            "prints the system's JSON (its Version) when the login works"]


def local_url(answers: Answers) -> str:
    """Orthanc itself, from this host: curl's -k with native HTTPS (its certificate names the server)."""
    if answers["https"]["mode"] == "native":
        return f"-k https://127.0.0.1:{answers['network']['http_port']}"
    return f"http://127.0.0.1:{answers['network']['http_port']}"


def stranger_checks(answers: Answers) -> list[str]:
    """A command for the checklist's last step, with the answer to expect after '  # '."""
    network = answers["network"]
    if not (network["http_enabled"] and answers["authentication"]["enabled"]):
        return []
    return [f"curl -s -o /dev/null -w '%{{http_code}}\\n' {local_url(answers)}/system"
            "  # 401: no request without a login"]


SOURCES = {"authentication.enabled": "AuthenticationEnabled", "authentication.users": "RegisteredUsers"}


def read(config: dict) -> Answers:
    answers = read_pairs(config, {"authentication.enabled": "AuthenticationEnabled"})
    users = config.get("RegisteredUsers")
    # Orthanc gives every registered user full access: imported users are admins until a profile
    # says otherwise. A name that is a whole `${VAR}` is a user too (the filter resolves it as
    # Orthanc does); other names with `${` are left as written.
    # A blank name is left out: nobody may log in without a name (OH-AUTH-009), and the edit says so.
    found = [{"name": name, "role": "admin", "password": {"keep": True}}
             for name, password in (users.items() if isinstance(users, dict) else ())
             if isinstance(password, str) and ("${" not in name or env_name(name)) and not blank(name)]
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


def blank(text: str) -> bool:
    """Empty or only whitespace: Orthanc takes it, and `curl -u :` logs in as `"": ""` (measured)."""
    return not text.strip()


def rotated_because(name: str, password) -> str:
    """Why an edit replaced a user's password, and whether --keep-weak-passwords would have kept it."""
    why = weakness(name, password) if isinstance(password, str) else None
    if isinstance(password, str) and blank(password):
        return f"{why}: replaced even with --keep-weak-passwords"
    return f"{why or 'weak'}: --keep-weak-passwords keeps it"


def weakness(name: str, password: str) -> str | None:
    """Why a plain password is weak, or None; a `${VAR}` password cannot be judged."""
    if "${" in password:
        return None
    if blank(password):
        return "empty" if not password else "only spaces"
    if well_known(name, password):
        return "a well-known password" if password.lower() != name.lower() else "the user's own name as password"
    if len(password) < MIN_LENGTH:
        return f"shorter than {MIN_LENGTH} characters"
    return None


HTTP = SECURING + "#securing-the-http-server"
NO_USER = Rule(
    "OH-AUTH-001", "critical", "Remote access with no registered user",
    "With remote access, authentication on and no user in RegisteredUsers, Orthanc up to 1.12.8 creates "
    "the login orthanc:orthanc, which every scanner tries first: remote clients get full access with it "
    "(measured on 1.10.1 and 1.12.7). Debian's credentials.json ships RegisteredUsers empty, exactly that "
    "state. From 1.12.9 an empty RegisteredUsers lets nobody log in (1.13.0 starts and refuses every login), "
    "and 1.13.0 refuses to start when RegisteredUsers is absent.",
    doc=HTTP, sets=('authentication.users=[{"name": "admin", "role": "admin"}]',),
    fix="list the users (each gets a generated password)")
WEAK_PASSWORD = Rule(
    "OH-AUTH-002", "high", "Well-known or weak password",
    "A password from Orthanc's samples or Docker images (orthanc, alice/orthanctest, demo...), a common "
    "default, the user's own name, or one shorter than 12 characters is the first thing an attacker tries; "
    "every registered user has full access to the REST API unless a filter restricts it. High for a user "
    "who can log in from another machine (remote access, or the proxy, and not limited to 127.0.0.0/8), "
    "medium otherwise.",
    doc=HTTP, fix="give the user a generated password: apply --config replaces weak ones "
                  "(--keep-weak-passwords keeps them)")
COLON_NAME = Rule(
    "OH-AUTH-003", "medium", "User name with ':'",
    "HTTP Basic authentication sends 'name:password' and splits it at the first ':': a name holding one "
    "is ambiguous, and Orthanc refuses such names since 1.12.10.", doc=HTTP, fix="rename the user")
ENV_NAME = Rule(
    "OH-AUTH-004", "medium", "User name taken from the environment",
    "Orthanc substitutes ${VAR} in the file's text before reading it: the user's name is whatever the "
    "service's environment holds (an empty name when unset), so nobody can check it from the files.",
    doc=BOOK + "users/configuration.html", fix="write the user name itself; keep only the password in the environment")
READABLE_PASSWORDS = Rule(
    "OH-AUTH-005", "high", "Passwords in a file others can read",
    "RegisteredUsers holds the passwords in plain text: any local account that can read the file can log "
    "in as those users. The documentation: configuration files holding RegisteredUsers must be readable "
    "by the user that runs Orthanc only.",
    doc=SECURING + "#general-configuration", fix="chmod o-r FILE (apply --config tightens a file it writes passwords to)",
    needs="files")
NO_FILTER = Rule(
    "OH-AUTH-006", "medium", "Every user has full access",
    "Orthanc's built-in authentication gives every registered user full read and write access, "
    "POST /tools/execute-script and /instances/../export included. The documentation: define, for each "
    "user, what it may access with a Lua filter (IncomingHttpRequestFilter).",
    doc=HTTP, fix="give each user a role: apply --config writes the access filter orthanc-security.lua")
RIVAL_FILTER = Rule(
    "OH-AUTH-007", "high", "Another Lua script replaces the access filter",
    "Orthanc keeps the IncomingHttpRequestFilter of the last script loaded: a script listed after "
    "orthanc-security.lua that defines one replaces the roles it enforces.",
    doc=BOOK + "users/lua.html", fix="list orthanc-security.lua last, or drop the other script's filter",
    needs="files")
USERS_IGNORED = Rule(
    "OH-AUTH-008", "low", "Users listed while authentication is off",
    "With AuthenticationEnabled false Orthanc asks no password: the registered users protect nothing, and "
    "every client that reaches the API has full access.",
    doc=HTTP, sets=("authentication.enabled=true",))
BLANK_CREDENTIAL = Rule(
    "OH-AUTH-009", "critical", "Empty or blank user name or password",
    "Orthanc takes an empty or blank user name or password as it is: on 1.10.1 `\"\": \"\"` answers 200 to "
    "`curl -u :`, and a password of one space logs in. Nobody has to guess it.",
    doc=HTTP, fix="apply --config replaces an empty or blank password and removes a user with a blank name")
UNSET_CREDENTIAL = Rule(
    "OH-AUTH-010", "high", "User name or password from a variable that may be unset",
    "Orthanc replaces ${VAR} with the variable's value when it reads its files, and an unset variable "
    "with nothing: a user name or password made only of variables without a default (${VAR:-default}) "
    "becomes empty when the service starts without them, and an empty password logs in.",
    doc=BOOK + "users/configuration.html",
    fix="give the variable a default (${VAR:-...}), or set it in the service's environment and check it there")
OPEN_ADMIN = Rule(
    "OH-AUTH-011", "medium", "Admin that may log in from any address",
    "A user with full access (every user when no access filter gives roles) whose login works from every "
    "machine that reaches the server: its password alone guards everything, exports to any server path and "
    "new DICOM peers included. An administrator rarely needs more than this host or one network.",
    doc=HTTP, fix="limit the admin to the networks it works from ('from': 127.0.0.1/32 behind the proxy), make it "
                  "read-only, or remove it")
RULES = (NO_USER, WEAK_PASSWORD, COLON_NAME, ENV_NAME, READABLE_PASSWORDS, NO_FILTER, RIVAL_FILTER, USERS_IGNORED,
         BLANK_CREDENTIAL, UNSET_CREDENTIAL, OPEN_ADMIN)


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    users = config.get("RegisteredUsers")
    users = users if isinstance(users, dict) else {}
    found = _no_user(config, users, facts)
    for name, password in users.items():
        found += [f for f in _user_findings(name, password, from_elsewhere(config, facts, name))
                  if f.rule is not BLANK_CREDENTIAL or not _emptied_by_variable(facts, name)]
    auth = network.authentication_on(config)
    if users and auth is False:
        found.append(USERS_IGNORED.found("AuthenticationEnabled", f"{len(users)} user(s) listed, but no "
                                         "password is asked", current=False, recommended=True))
    elif users and not config.get("LuaScripts"):
        found.append(NO_FILTER.found("LuaScripts", "every registered user has full access: no access "
                                     "filter restricts roles", current=None, recommended=[LUA_FILE]))
    # A `${VAR}` password is read from Orthanc's environment: the file holds no secret (issue 16, item 3).
    written = [p for p in users.values() if isinstance(p, str) and not re.fullmatch(r"\$\{[^}]*\}", p)]
    holder = readable_by_others(facts, "RegisteredUsers") if written else None
    if holder is not None:
        found.append(READABLE_PASSWORDS.found("RegisteredUsers", f"{holder.path} holds passwords and every local "
                                              "account can read it", current=f"{holder.stat.st_mode & 0o777:04o}",
                                              recommended="0640"))
    return found + _open_admins(config, users, facts) + _rival_filters(config, facts)


def _open_admins(config: dict, users: dict, facts: Facts) -> list[Finding]:
    """Users with full access and no network of their own, on a server other machines reach. Without
    a run's answers the roles are known only when no filter gives them: then every user is an admin."""
    if network.authentication_on(config) is False:
        return []  # USERS_IGNORED says worse
    if facts.answers is None:
        admins = [] if config.get("LuaScripts") else list(users)
    else:
        admins = [u["name"] for u in facts.answers["authentication"]["users"] if u["role"] == "admin" and not u["from"]]
    return [OPEN_ADMIN.found(f"RegisteredUsers.{name}", f"user {name!r} has full access and may log in from any "
                             "address that reaches the server", path=("RegisteredUsers", name))
            for name in admins if name in users and from_elsewhere(config, facts, name)]


def _no_user(config: dict, users: dict, facts: Facts) -> list[Finding]:
    if not network.remote_http(config) or users or network.authentication_on(config) is False:
        return []
    does = releases.without_users(facts.target, "RegisteredUsers" in config)
    release = f"Orthanc {versions.show(facts.target)}" if facts.target else "Orthanc up to 1.12.8"
    if does == "login":
        return [NO_USER.found("RegisteredUsers", f"remote access with no registered user: {release} creates the "
                              "well-known orthanc:orthanc login")]
    what = "refuses to start" if does == "refuses" else "starts and refuses every login"
    return [NO_USER.found("RegisteredUsers", f"remote access with no registered user: {release} {what}",
                          severity="info")]


def _emptied_by_variable(facts: Facts, name: str) -> bool:
    """A compose variable with an unset ${VAR} wrote this user: OH-DOCKER-007 says it, naming the variable."""
    deployment = facts.deployment
    origin = deployment.generated.origins.get(("RegisteredUsers", name)) if deployment is not None else None
    variable = deployment.service.environment.get(origin.name) if origin and origin.kind == "variable" else None
    return variable is not None and bool(variable.unset)


def implicit_login(config: dict, release) -> bool:
    """Orthanc `release` (None: unknown) answers orthanc:orthanc on these values, a user nobody listed."""
    return (network.remote_http(config) and network.authentication_on(config) is not False
            and not config.get("RegisteredUsers") and releases.without_users(release, "RegisteredUsers" in config) == "login")


def from_elsewhere(config: dict, facts: Facts, name: str) -> bool:
    """User `name` may log in from another machine: Orthanc serves other machines (or the run's answers
    put it behind the proxy) and the user is not limited to loopback networks."""
    answers, remote = facts.answers, network.remote_http(config)
    if answers is None:
        return remote
    # Either one: answers saved beside the files (audit) may be older than a hand edit of them.
    if not (remote or answers["network"]["http_enabled"] and answers["network"]["remote_access"]):
        return False
    nets = next((u["from"] for u in answers["authentication"]["users"] if u["name"] == name), [])
    return not nets or not all(ip_network(net).subnet_of(LOOPBACK) for net in nets)


LOOPBACK = ip_network("127.0.0.0/8")
# Orthanc's syntax (Toolbox::SubstituteVariables): ${VAR}, ${VAR:-default}, the default maybe quoted.
VARIABLE = re.compile(r"\$\{([^}:]*)(?::-([^}]*))?\}")


def may_be_empty(text: str) -> list[str]:
    """The variables of `text` that leave it empty or blank when the service starts without them
    (no default, or an empty one); [] when some text or a default always remains."""
    if not VARIABLE.search(text):
        return []
    least = VARIABLE.sub(lambda m: (m[2] or "").strip("\"'"), text)
    return [m[1] for m in VARIABLE.finditer(text) if not (m[2] or "").strip("\"'")] if blank(least) else []


def _user_findings(name: str, password, elsewhere: bool) -> list[Finding]:
    path = ("RegisteredUsers", name)
    where = f"RegisteredUsers.{name}"
    if blank(name) or (isinstance(password, str) and blank(password)):
        empty = [f"{'an empty' if not text else 'a blank'} {what}" for what, text in
                 (("user name", name), ("password", password)) if isinstance(text, str) and blank(text)]
        return [BLANK_CREDENTIAL.found(where, f"user {name!r} has {' and '.join(empty)}: nobody has to guess it",
                                       path=path)]
    found = []
    unset = [*may_be_empty(name), *(may_be_empty(password) if isinstance(password, str) else ())]
    if unset:
        found.append(UNSET_CREDENTIAL.found(where, f"user {name!r}: {', '.join(f'${{{v}}}' for v in unset)} has no "
                                            "default: unset, it leaves the user name or password empty", path=path))
    if "${" in name:
        found.append(ENV_NAME.found(f"RegisteredUsers.{name}", f"user {name!r} is named by the environment", path=path))
    elif ":" in name:
        found.append(COLON_NAME.found(f"RegisteredUsers.{name}", f"user {name!r} has ':' in its name", path=path))
    why = weakness(name, password) if isinstance(password, str) else None
    if why:
        reach = "can log in from another machine" if elsewhere else "can log in from this host only"
        found.append(WEAK_PASSWORD.found(where, f"user {name!r} has a weak password ({why}) and {reach}",
                                         path=path, severity="high" if elsewhere else "medium"))
    return found


def _rival_filters(config: dict, facts: Facts) -> list[Finding]:
    """Scripts listed after ours that define IncomingHttpRequestFilter (the last one loaded wins)."""
    scripts = config.get("LuaScripts")
    if facts.files is None or not isinstance(scripts, list):
        return []
    ours = [i for i, s in enumerate(scripts) if isinstance(s, str) and s.replace("\\", "/").rsplit("/", 1)[-1] == LUA_FILE]
    if not ours:
        return []
    # The same test apply makes before it lists the filter (lua_scripts.listed).
    later = [(i, s) for i, s in enumerate(scripts[ours[-1] + 1:], ours[-1] + 1)
             if lua_scripts._defines_filter(facts.files, s, [])]
    return [RIVAL_FILTER.found("LuaScripts", f"{script} is loaded after {LUA_FILE} and defines "
                               "IncomingHttpRequestFilter: its filter is the one Orthanc uses",
                               path=("LuaScripts", index), current=script) for index, script in later]
