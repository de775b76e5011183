"""Who can reach the server after an edit that could not before: the other half of reach.py.

A review that lists only what is lost hides what is opened (a new admin, a new modality, a
check turned off); each gain is said first too, beside the losses, with who asked for it.
"""

from __future__ import annotations

from wizard.notes import Note
from wizard.orthanc.options import MODALITY_PERMISSIONS
from wizard.reach import DOORS, LOCKS, RANK, Cause, _entries, _names, _on
from wizard.topics.base import setting
from wizard.topics.network import authentication_on


def gains(before: dict, after: dict, old_users: list[dict], new_users: list[dict], cause: Cause) -> list[Note]:
    """Every widening of who can reach Orthanc, between two sets of values Orthanc would read:
    the REST API's clients first, then DICOM's."""
    found = []
    if setting(before, "RemoteAccessAllowed", False) is False and setting(after, "RemoteAccessAllowed", False) is True:
        found.append(_say("other machines may connect: RemoteAccessAllowed false → true", cause("network.remote_access")))
    if authentication_on(before) is True and authentication_on(after) is False:
        found.append(_say("clients without a login get in: AuthenticationEnabled true → false",
                          cause("authentication.enabled")))
    found += _users(before, after, old_users, new_users, cause)
    found += [_say(f"{_opened(key)}: {key} false → true", cause(dotted)) for key, default, _, dotted in DOORS
              if not _on(before, key, default) and _on(after, key, default)]
    found += [_say(f"{_unlocked(key)}: {key} true → false", cause(dotted)) for key, default, _, dotted in LOCKS
              if _on(before, key, default) and not _on(after, key, default)]
    return found + _modalities(before, after, cause)


def _opened(key: str) -> str:
    if key == "HttpServerEnabled":
        return "REST API clients gain access"
    if key == "DicomServerEnabled":
        return "modalities gain DICOM access"
    return f"unknown AETs may {key.removeprefix('DicomAlwaysAllow').lower()}"


def _unlocked(key: str) -> str:
    return ("modalities are accepted from any address" if key == "DicomCheckModalityHost"
            else "associations to any called AET are accepted")


def _users(before: dict, after: dict, old_users: list[dict], new_users: list[dict], cause: Cause) -> list[Note]:
    old_names, new_names = _names(before.get("RegisteredUsers")), _names(after.get("RegisteredUsers"))
    old, found = {u["name"]: u for u in old_users}, []
    for user in new_users:
        name = user["name"]
        if name not in new_names:
            continue
        if name not in old_names:
            found.append(_say(f"user {name!r} gains access as {user['role']}, from {_from(user)}: "
                              "added to RegisteredUsers", cause("authentication.users")))
            continue
        was = old.get(name)
        if was is not None and RANK.get(user["role"], 0) > RANK.get(was["role"], 0):
            found.append(_say(f"user {name!r} gains rights: {was['role']} → {user['role']}", cause("authentication.users")))
        if was is not None and was.get("from") and not user.get("from"):
            found.append(_say(f"user {name!r} may log in from any address", cause("authentication.users")))
    return found


def _from(user: dict) -> str:
    return ", ".join(user["from"]) if user.get("from") else "any address"


def _modalities(before: dict, after: dict, cause: Cause) -> list[Note]:
    old, new = _entries(before), _entries(after)
    found = []
    for name in sorted(new.keys() - old.keys()):
        entry = new[name]
        allowed = [answer for answer, (option, _) in MODALITY_PERMISSIONS.items() if entry.get(option) is True]
        found.append(_say(f"modality {name!r} gains DICOM access ({entry.get('AET')} at {entry.get('Host')}, may "
                          f"{', '.join(allowed) or 'nothing'}): added to DicomModalities", cause("dicom.modalities")))
    for name in sorted(old.keys() & new.keys()):
        gained = [answer for answer, (option, _) in MODALITY_PERMISSIONS.items()
                  if old[name].get(option) is False and new[name].get(option) is True]
        if gained:
            found.append(_say(f"modality {name!r} may now {', '.join(gained)}", cause("dicom.modalities")))
    return found


def _say(text: str, why: str) -> Note:
    return Note("changed", f"who can reach Orthanc: {text} ({why})", first=True)
