"""Who below admin can stop a Debian-built Orthanc: a JSON body or a DICOM file nested deep enough
overflows the 100 KB stack of the thread that parses it (wizard/orthanc/depth.py). Said by audit
(the roles read from the generated filter, on a host whose Orthanc is Debian's package), by apply and
the wizard (the roles of the answers, for orthanc_build 'debian')."""

from __future__ import annotations

import re

from wizard import versions
from wizard.orthanc import depth
from wizard.topics.base import NO_FACTS, SECURING, Answers, Facts, Finding, Rule, setting

FILTER = "orthanc-security.lua"
CRASH = Rule(
    "OH-ROLE-001", "medium", "A role below admin can stop Orthanc",
    "Debian's builds of Orthanc parse a request's JSON body and an uploaded DICOM file on a thread with a "
    "100 KB stack: a body nested about 200 deep (400 bytes) or a file nested about 50 sequences deep stops "
    "the server with a segmentation fault, and nothing is logged. Measured on 1.10.1, 1.12.7 and 1.13.0. "
    "The access filter sees no body: whoever may send one can do it.",
    doc=SECURING, sets=("authentication.search_and_zips=false",), needs="host",
    fix=depth.WHAT_TO_DO)
RULES = (CRASH,)

# The generated filter's tables (wizard/orthanc/lua.py): `  ["name"] = "role",` inside USERS, and
# the switch of the readers' POSTs (absent from filters written before it: they granted them).
_USERS = re.compile(r"^local USERS = \{\n(.*?)^\}", re.MULTILINE | re.DOTALL)
_USER = re.compile(r'^  \[("(?:[^"\\]|\\.)*")\] = "([a-z-]+)",$', re.MULTILINE)
_SEARCH = re.compile(r"^local SEARCH_AND_ZIPS = (true|false)$", re.MULTILINE)


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    if facts.answers is not None:  # apply and the wizard: the answers name the roles and the build
        return of_answers(facts.answers)
    if not facts.debian_package:
        return []
    # Without a filter of ours every user is an admin (OH-AUTH-006 says it): only modalities are below.
    text = _filter_text(config, facts) or ""
    users = _USERS.search(text)
    roles = [(_lua_name(name), role) for name, role in _USER.findall(users.group(1) if users else "")]
    search = _SEARCH.search(text)
    posts = search is None or search.group(1) == "true"
    below = any(role != "admin" for _, role in roles)
    return _found(roles, posts, _storing_modalities(config), facts.target,
                  key="LuaScripts" if below else "DicomModalities")


def of_answers(answers: Answers) -> list[Finding]:
    """The same finding for a configuration about to be written, when it is for Debian's build."""
    if answers["orthanc_build"] != "debian" or not answers["network"]["http_enabled"]:
        return []
    auth, dicom = answers["authentication"], answers["dicom"]
    roles = [(u["name"], u["role"]) for u in auth["users"]] if auth["enabled"] else []
    modalities = [m["name"] for m in dicom["modalities"] if "store" in m["allow"]] if dicom["enabled"] else []
    if dicom["enabled"] and dicom["always_allow_store"]:
        modalities.append("any AET (always_allow_store)")
    return _found(roles, auth["search_and_zips"], modalities, versions.parse(answers["orthanc_version"]),
                  key="LuaScripts")


def _found(roles: list[tuple[str, str]], posts: bool, modalities: list[str], release, key: str) -> list[Finding]:
    """One finding naming who can stop the server and how, or none."""
    senders = [name for name, role in roles if posts and role in ("read-only", "uploader")]
    uploaders = [name for name, role in roles if role == "uploader"]
    ways = []
    if senders:
        ways.append(f"{_names(senders)}, with a JSON body nested {depth.json_depth(release)} "
                    "(POST /tools/find, the zip routes)")
    if uploaders:
        ways.append(f"{_names(uploaders)}, with a DICOM file nested {depth.upload_depth(release)} "
                    "(POST /instances, STOW-RS)")
    if modalities:
        ways.append(f"modality {_names(modalities)}, by storing a file nested deeper, which stops Orthanc when read")
    if not ways:
        return []
    return [CRASH.found(key, "on Debian's build these can stop Orthanc: " + "; ".join(ways) + f". What to do: "
                        f"{depth.WHAT_TO_DO}",
                        current=posts if senders else None, recommended=False if senders else None)]


def _names(names: list[str]) -> str:
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _filter_text(config: dict, facts: Facts) -> str | None:
    scripts = config.get("LuaScripts")
    if facts.files is None:
        return None
    for script in scripts if isinstance(scripts, list) else ():
        if isinstance(script, str) and script.rsplit("/", 1)[-1] == FILTER:
            try:
                return facts.files.host_path(script).read_text("utf-8", errors="replace")
            except OSError:
                return None
    return None


def _lua_name(literal: str) -> str:
    """A name as lua.lua_string wrote it: plain bytes, and \\ddd escapes for the rest."""
    data = re.sub(rb"\\(\d{3})", lambda m: bytes([int(m.group(1))]), literal[1:-1].encode("latin-1", "replace"))
    return data.decode("utf-8", errors="replace")


def _storing_modalities(config: dict) -> list[str]:
    """Modalities Orthanc accepts C-STORE from (Allow* default true), and any AET when always allowed."""
    if config.get("DicomServerEnabled", True) is False:
        return []
    section = config.get("DicomModalities")
    names = [name for name, value in (section.items() if isinstance(section, dict) else ())
             if isinstance(value, list) or (isinstance(value, dict) and value.get("AllowStore", True) is not False)]
    if setting(config, "DicomAlwaysAllowStore", True) is True:  # Orthanc's default: any AET may store
        names.append("any AET (DicomAlwaysAllowStore)")
    return names
