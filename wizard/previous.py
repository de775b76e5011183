"""Answers an earlier run saved beside the configuration: what Orthanc's own files cannot show."""

from __future__ import annotations

from pathlib import Path

from wizard import harden, jsonc, profile
from wizard.errors import BadInput
from wizard.notes import Note
from wizard.orthanc import sop_classes
from wizard.topics.base import get, put

# Not in Orthanc's files at all: the proxy in front of it, the firewall, the host's accounts.
UNSEEN = ("https", "network.allowed_networks", "service", "authentication.search_and_zips")


def load(folder: Path, notes: list[str]) -> dict:
    """The saved answers beside the configuration, or {} (with a note when they are unusable)."""
    path = folder / harden.ANSWERS_FILE
    if not path.is_file():
        return {}
    try:
        saved = jsonc.load(path)
        problems = profile.validate(saved, str(path)) if isinstance(saved, dict) else [f"{path}: $: not an object"]
    except BadInput as error:
        problems = [str(error)]
    if problems:
        notes.append(f"ignored the answers of an earlier run: {problems[0]}")
        return {}
    return saved


def fill(read: dict, saved: dict, raw: dict, preset: dict, notes: list[str]) -> None:
    """Put into `raw` what only the saved answers know (unless the preset says it), and give
    the users read from the configuration the roles and networks they were given then."""
    taken = False
    for dotted in UNSEEN:
        if dotted != "https" or "https" not in read:  # Orthanc's own TLS is in its files: they win
            taken |= _fill_missing(raw, preset, dotted, _get(saved, dotted))
    roles = {user["name"]: user for user in _get(saved, "authentication.users") or ()}
    for user in _get(read, "authentication.users") or ():
        if user["name"] in roles:
            user.update(role=roles[user["name"]]["role"], **{"from": roles[user["name"]].get("from", [])})
            taken = True
    taken |= _fill_store_kinds(read, saved)
    # Behind the proxy we write RemoteAccessAllowed false although clients come from the network.
    proxied = _get(saved, "https.mode") == "reverse-proxy" and "https" not in read
    if proxied and _get(saved, "network.remote_access") and _get(read, "network.remote_access") is False:
        del read["network"]["remote_access"]
        taken |= _fill_missing(raw, preset, "network.remote_access", True)
    if taken:
        notes.append(Note("took", f"from {harden.ANSWERS_FILE} (an earlier run's answers) what Orthanc's files "
                                  "cannot show: the reverse proxy, the firewall's networks, the service, users' roles "
                                  "and the kinds modalities may store"))


def _fill_store_kinds(read: dict, saved: dict) -> bool:
    """The kinds a modality read from the configuration may store (its `stores`: in the generated
    Lua only), and the global list as the profile named its classes (the files hold their UIDs)."""
    taken = False
    kinds = {m["name"]: m for m in _get(saved, "dicom.modalities") or () if "stores" in m}
    for modality in _get(read, "dicom.modalities") or ():
        earlier = kinds.get(modality["name"])
        if earlier is not None and earlier["aet"] == modality["aet"] and "store" in modality["allow"]:
            modality["stores"] = earlier["stores"]
            taken = True
    named, written = _get(saved, "dicom.accepted_sop_classes"), _get(read, "dicom.accepted_sop_classes")
    if named and written and _uids(named) == written:
        read["dicom"]["accepted_sop_classes"] = named
        taken = True
    return taken


def _uids(entries: list) -> list | None:
    try:
        return sop_classes.accepted_uids(entries)
    except ValueError:
        return None


def _fill_missing(raw: dict, preset: dict, dotted: str, value) -> bool:
    if value is None or _get(preset, dotted) is not None:
        return False
    if isinstance(value, dict):
        filled = False
        for key, sub in value.items():  # every key, not only up to the first filled one
            filled |= _fill_missing(raw, preset, f"{dotted}.{key}", sub)
        return filled
    put(raw, dotted, value)
    return True


def _get(answers: dict, dotted: str):
    try:
        return get(answers, dotted)
    except (KeyError, TypeError):
        return None
