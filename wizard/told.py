"""What an edit says it did: who can reach the server first, then every change, each one true."""

from __future__ import annotations

from wizard import gains, reach, resources, summary, versions
from wizard.importing import TO_FIX, Imported, _get, leaves
from wizard.notes import Note, holds
from wizard.orthanc import config_files
from wizard.topics.authentication import rotated_because
from wizard.topics.base import Answers, Build


def notes(imported: Imported, answers: Answers, after: config_files.ConfigSet, result: Build,
          file_notes: list[str]) -> list[str]:
    """The notes of an edit whose configuration files become `after`."""
    before = imported.config
    changed = summary.changed_keys(before, after)
    passwords = before.values.get("RegisteredUsers") or {}
    rotated = [Note("rotated", f"the weak password of user {name!r} ({before.where(('RegisteredUsers', name))}): "
                               "a generated one replaces it and is handed over like any generated password "
                               f"({rotated_because(name, passwords.get(name))})", first=True)
               for name in result.rotated]
    said = summary.truthful([*still_true(imported.notes, answers, changed), *rotated, *file_notes], changed)
    old_users = _get(imported.read, "authentication.users") or []
    new_users, why = answers["authentication"]["users"], cause(imported, answers)
    lost = reach.losses(before.values, after.values, old_users, new_users, why,
                        answers["https"]["mode"] == "reverse-proxy", versions.parse(answers["orthanc_version"]))
    return [*lost, *gains.gains(before.values, after.values, old_users, new_users, why), *said]


def still_true(start: list[str], answers: Answers, changed: dict) -> list[str]:
    """The notes of the start that the final answers leave true: the wizard may have changed an
    answer since (a user kept as admin made read-only), and an option said kept whose bytes change
    (remote access kept, RemoteAccessAllowed false behind the proxy) is said by the change instead."""
    return [n for n in start if holds(n, answers) and not n.startswith(TO_FIX)
            and not (isinstance(n, Note) and n.verb == "kept" and n.where in changed)]


def cause(imported: Imported, answers: Answers):
    """Who asked for an answer: --set, the profile, the wizard, or the hardened default."""
    def why(dotted: str) -> str:
        if any(key == dotted or key.startswith(dotted + ".") for key, _ in leaves(imported.given)):
            return f"asked by --set {dotted}"
        if _get(imported.asked, dotted) is not None:
            return f"asked by {profile_label(imported.asker)}"
        if _get(answers, dotted) != _get(imported.starting, dotted):
            return "answered in the wizard"
        return "orthanc-harden's hardened default"
    return why


def profile_label(name: str) -> str:
    for preset in resources.preset_names():
        if name == str(resources.preset_path(preset)):
            return f"preset {preset}"
    return f"profile {name}"

