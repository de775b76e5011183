"""Who can reach the server, before and after an edit: each loss is said first, with who asked."""

from __future__ import annotations

from typing import Callable

from wizard.notes import Note
from wizard.orthanc.entries import normal_modality
from wizard.orthanc.options import MODALITY_PERMISSIONS
from wizard import versions
from wizard.topics.authentication import blank, implicit_login
from wizard.topics.base import setting
from wizard.versions import Version
from wizard.topics.dicom import ALWAYS_ALLOW
from wizard.topics.network import authentication_on

Cause = Callable[[str], str]  # an answer's dotted id → "asked by preset intranet", ...
RANK = {"read-only": 0, "uploader": 1, "admin": 2}
# On/off options that let clients in: (option, Orthanc's default, who loses, the answer that decides).
DOORS = (("HttpServerEnabled", True, "REST API clients lose access", "network.http_enabled"),
         ("DicomServerEnabled", True, "modalities lose DICOM access", "dicom.enabled"),
         *((option, option in ("DicomAlwaysAllowEcho", "DicomAlwaysAllowStore"),
            f"unknown AETs may no longer {answer[13:].replace('_', ' ')}", f"dicom.{answer}")
           for answer, option in ALWAYS_ALLOW.items()))
LOCKS = (("DicomCheckModalityHost", False, "modalities are accepted from their registered address only",
          "dicom.check_modality_host"),
         ("DicomCheckCalledAet", False, "associations to another AET than Orthanc's are refused",
          "dicom.check_called_aet"))
ADDRESSES = (("HttpPort", 8042, "REST clients must use port", "network.http_port"),
             ("DicomPort", 4242, "modalities must use port", "dicom.port"),
             ("DicomAet", "ORTHANC", "modalities must call AET", "dicom.aet"))


def losses(before: dict, after: dict, old_users: list[dict], new_users: list[dict], cause: Cause,
           proxied: bool, target: Version | None = None) -> list[Note]:
    """Every change of who can reach Orthanc, between two sets of values Orthanc would read:
    the REST API's clients first, then DICOM's; the login Orthanc `target` made up before all."""
    found = _implicit_login(before, after, target, cause)
    if setting(before, "RemoteAccessAllowed", False) is True and setting(after, "RemoteAccessAllowed", False) is False:
        found.append(_say("remote clients reach Orthanc only through the TLS proxy on this host (CHECKLIST.md): "
                          "RemoteAccessAllowed true → false", cause("https.mode")) if proxied else
                     _say("remote clients lose access: RemoteAccessAllowed true → false", cause("network.remote_access")))
    if authentication_on(before) is False and authentication_on(after) is True:
        found.append(_say("clients without a login lose access: AuthenticationEnabled false → true",
                          cause("authentication.enabled")))
    for key, default, who, dotted in ADDRESSES:
        old, new = setting(before, key, default), setting(after, key, default)
        if old is not None and new is not None and old != new:
            found.append(_say(f"{who} {new}: {key} {old} → {new}", cause(dotted)))
    found += _users(before, after, old_users, new_users, cause)
    found += [_say(f"{who}: {key} true → false", cause(dotted)) for key, default, who, dotted in DOORS
              if _on(before, key, default) and not _on(after, key, default)]
    found += [_say(f"{who}: {key} false → true", cause(dotted)) for key, default, who, dotted in LOCKS
              if not _on(before, key, default) and _on(after, key, default)]
    return found + _modalities(before, after, cause)


def _implicit_login(before: dict, after: dict, target: Version | None, cause: Cause) -> list[Note]:
    """Orthanc answered orthanc:orthanc, a login no file lists (remote access, authentication on, no
    user): the edit that lists users, or turns remote access off, ends it (issue 16, item 6)."""
    if not implicit_login(before, target) or implicit_login(after, target):
        return []
    what = "authentication.users" if after.get("RegisteredUsers") else "network.remote_access"
    return [_say("the implicit orthanc:orthanc login is gone: Orthanc "
                 f"{versions.show(target) if target else 'up to 1.12.8'} made it up with remote access on and "
                 "no user listed, and scanners try it first", cause(what))]


def _users(before: dict, after: dict, old_users: list[dict], new_users: list[dict], cause: Cause) -> list[Note]:
    old_names, new_names = _names(before.get("RegisteredUsers")), _names(after.get("RegisteredUsers"))
    found = [_say(f"user {name!r} loses access: removed from RegisteredUsers", "orthanc-harden removes a blank "
                  "user name: it logs in without being guessed, OH-AUTH-009") if blank(name) else
             _say(f"user {name!r} loses access: removed from RegisteredUsers", cause("authentication.users"))
             for name in sorted(old_names - new_names)]
    new = {u["name"]: u for u in new_users}
    for user in old_users:
        now = new.get(user["name"])
        if now is None or user["name"] not in new_names:
            continue
        if RANK.get(now["role"], 0) < RANK.get(user["role"], 0):
            found.append(_say(f"user {user['name']!r} loses rights: {user['role']} → {now['role']}",
                              cause("authentication.users")))
        if now.get("from") and set(now["from"]) != set(user.get("from") or ()):
            found.append(_say(f"user {user['name']!r} may log in only from {', '.join(now['from'])}",
                              cause("authentication.users")))
    return found


def _modalities(before: dict, after: dict, cause: Cause) -> list[Note]:
    old, new = _entries(before), _entries(after)
    found = [_say(f"modality {name!r} loses DICOM access: removed from DicomModalities", cause("dicom.modalities"))
             for name in sorted(old.keys() - new.keys())]
    for name in sorted(old.keys() & new.keys()):
        lost = [answer for answer, (option, _) in MODALITY_PERMISSIONS.items()
                if old[name].get(option) is True and new[name].get(option) is False]
        if lost:
            found.append(_say(f"modality {name!r} may no longer {', '.join(lost)}", cause("dicom.modalities")))
    return found


def _say(text: str, why: str) -> Note:
    return Note("changed", f"who can reach Orthanc: {text} ({why})", first=True)


def _on(values: dict, key: str, default: bool) -> bool:
    return setting(values, key, default) is True


def _names(users) -> set[str]:
    return set(users) if isinstance(users, dict) else set()


def _entries(values: dict) -> dict[str, dict]:
    section = values.get("DicomModalities")
    found = {name: normal_modality(entry) for name, entry in section.items()} if isinstance(section, dict) else {}
    return {name: entry for name, entry in found.items() if entry is not None}
