"""Answers from an existing configuration, layered: hardened defaults < existing values < preset."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

from wizard import previous, profile, relocate
from wizard.notes import Note
from wizard.errors import BadInput, json_path
from wizard.orthanc.config_files import ConfigSet
from wizard.orthanc.document import is_placeholder
from wizard.orthanc.merge import same
from wizard.topics import TOPICS
from wizard.topics.authentication import blank, weakness
from wizard.topics.base import get, put

# Answers made of named entries, merged entry by entry (the profile's entry wins).
LISTS = {"authentication.users": "RegisteredUsers", "dicom.modalities": "DicomModalities",
         "outgoing.peers": "OrthancPeers"}
# Answers that describe the deployment rather than a policy: an existing value is always kept.
DEPLOYMENT = {"service.storage_dir", "network.http_port", "dicom.aet", "dicom.port", "https.certificate", "outgoing.ca_certificates",
              "dicom.tls.certificate", "dicom.tls.private_key", "dicom.tls.trusted_certificates",
              "dicom.modalities_in_database", "outgoing.peers_in_database"}
# Who can reach the server is the site's choice: kept unless the profile names it (DESIGN.md).
REACH = {"network.remote_access", "network.http_enabled", "dicom.enabled"}
# Policy answers where a value other than the hardened default exposes less, so it is kept.
SAFER = {"network.http_enabled": (False,), "network.explorer": (False,), "dicom.enabled": (False,),
         "dicom.tls.enabled": (True,), "https.mode": ("native", "reverse-proxy")}
AT_MOST_DEFAULT = {"limits.find_results", "limits.find_instances"}  # a smaller cap is safer
NARROWING = {"dicom.accepted_sop_classes"}  # any list restricts more than none, the default
TO_FIX = "to fix before writing: "  # an imported answer the wizard shows refused (lenient): fixed once a plan is made


@dataclass
class Imported:
    """An existing configuration and the answers it gave; `prepare` edits it with final answers."""

    config: ConfigSet
    read: dict  # what the topics read, before layering
    starting: dict = field(default_factory=dict)  # effective answers after layering
    keep_as_written: dict[str, str] = field(default_factory=dict)  # option → answer: its ${VAR} stays
    notes: list[str] = field(default_factory=list)
    asked: dict = field(default_factory=dict)  # the profile's own answers (preset and --set)
    asker: str = ""  # the profile's name, for "asked by ..."
    keep_weak: bool = False  # --keep-weak-passwords: well-known passwords are not rotated
    given: dict = field(default_factory=dict)  # the answers given with --set (and --orthanc-version)

    def removable(self) -> dict[str, set[str]]:
        """Entries that came from the configuration: dropping one from the answers removes it. A user
        with a blank name, which the answers never hold, is always removed (OH-AUTH-009)."""
        found = {key: {e["name"] for e in _get(self.read, dotted) or ()} for dotted, key in LISTS.items()}
        users = self.config.values.get("RegisteredUsers")
        found["RegisteredUsers"] |= {name for name in users if blank(name)} if isinstance(users, dict) else set()
        return found


def read_value(imported: Imported, dotted: str):
    """What the configuration said of one answer (None: it said nothing Orthanc-readable)."""
    return _get(imported.read, dotted)


def sources() -> dict[str, str]:
    """Each answer's Orthanc option, as the topics declare them."""
    return {answer: key for topic in TOPICS for answer, key in getattr(topic, "SOURCES", {}).items()}


def start(config: ConfigSet, preset: dict, preset_name: str, lenient: bool = False,
          keep_weak: bool = False, given: dict | None = None) -> Imported:
    """The starting answers for editing `config` with a preset (or {} for none).

    Answers that break the profile's rules are bad input, unless `lenient` (the wizard): then
    they are kept, with a note each, for the admin to fix on the topic's screen.
    """
    read: dict = {}
    for topic in TOPICS:
        _deep_merge(read, topic.read(config.values))
    imported = Imported(config, read, notes=list(config.notes), asked=preset, asker=preset_name, keep_weak=keep_weak,
                        given=given or {})
    raw, from_config = _layer(imported, preset, preset_name)
    _placeholders(imported, preset)
    problems = profile.validate(raw, preset_name)
    if problems:
        relocated = [relocate.problem(p, raw, from_config, config, LISTS, sources()) for p in problems]
        if not lenient:
            raise BadInput(relocated)
        imported.notes += [f"{TO_FIX}{p}" for p in relocated]
    imported.starting = ordered(profile.effective(raw), profile.schema())
    return imported


def ordered(value, node: dict):
    """Keys in the schema's order, whatever order the layers came in: the saved answers of two
    identical runs are then the same bytes."""
    node = profile.resolve(node)
    if isinstance(value, dict) and "properties" in node:
        known = node["properties"]
        keys = [k for k in known if k in value] + [k for k in value if k not in known]
        return {k: ordered(value[k], known.get(k, {})) for k in keys}
    if isinstance(value, list) and "items" in node:
        return [ordered(item, node["items"]) for item in value]
    return value


def _layer(imported: Imported, preset: dict, preset_name: str) -> tuple[dict, set]:
    """The profile to validate, and which of its answers (or entries) came from the configuration."""
    raw, defaults, config = copy.deepcopy(preset), profile.defaults(), imported.config
    previous.fill(imported.read, previous.load(config.folder, imported.notes), raw, preset, imported.notes)
    folder = str(config.folder.resolve())
    if _get(raw, "service.config_dir") is None and '"' not in folder and "\n" not in folder:
        put(raw, "service.config_dir", folder)  # the checklist's commands name the folder edited
    from_config: set = set()
    keys = sources()
    for dotted, value in leaves(imported.read):
        where = _where(config, keys[dotted])
        if dotted in LISTS:
            _merge_entries(imported, raw, dotted, value, from_config)
        elif _get(preset, dotted) is not None:
            continue  # the profile decides, and the diff shows what that changes
        elif _safe(dotted, value, get(defaults, dotted)):
            put(raw, dotted, value)
            from_config.add(dotted)
            if not same(value, get(defaults, dotted)):
                imported.notes.append(Note("kept", f"{dotted} = {_show(value)} ({where}): {_why_kept(dotted)}",
                                           _place(config, keys[dotted]), about=(dotted, None, value)))
        else:
            imported.notes.append(Note("hardened", f"{dotted}: {_show(value)} → {_show(get(defaults, dotted))} "
                                                   f"({where} was less safe than the hardened default)",
                                       _place(config, keys[dotted]), about=(dotted, None, get(defaults, dotted))))
    return raw, from_config


def _why_kept(dotted: str) -> str:
    if dotted in REACH:
        return ("who can reach the server is the site's choice (changed only when asked: its question in the "
                "wizard, the profile or --set)")
    return "a deployment value" if dotted in DEPLOYMENT else "already at least as safe"


def _place(config: ConfigSet, key: str) -> tuple[str, str]:
    return str(config.holders[key].path), key


def _merge_entries(imported: Imported, raw: dict, dotted: str, entries: list, from_config: set) -> None:
    named = {e["name"]: e for e in _get(raw, dotted) or ()}
    kept = [e for e in entries if e["name"] not in named]
    from_config.update((dotted, e["name"]) for e in kept)
    if dotted == "authentication.users":
        _rotate_weak(kept, imported.config.values.get("RegisteredUsers") or {}, imported.keep_weak)
    put(raw, dotted, [named.pop(e["name"], e) for e in entries] + list(named.values()))
    key = LISTS[dotted]
    for entry in kept:
        where = imported.config.where((key, entry["name"]))
        if dotted == "authentication.users":
            why = (": Orthanc gave every registered user full access; give it another role in the wizard's "
                   "Authentication topic, the profile or --set") if entry["role"] == "admin" else ""
            imported.notes.append(Note("kept", f"user {entry['name']!r} as {entry['role']} ({where}){why}",
                                       about=(dotted, entry["name"], {"role": entry["role"]})))
        elif dotted == "dicom.modalities" and isinstance(imported.config.values[key][entry["name"]], list):
            imported.notes.append(Note("kept", f"modality {entry['name']!r} ({where}) with every permission, as "
                                               "Orthanc reads its array form: narrow them in the wizard's DICOM topic or the profile",
                                       about=(dotted, entry["name"], {"allow": entry["allow"]})))


def _rotate_weak(users: list[dict], passwords: dict, keep_weak: bool) -> None:
    """A user whose password is weak (well-known, its name, short) gets a generated one unless
    --keep-weak-passwords, and one whose password is empty or blank always (the plan says so)."""
    for user in users:
        password = passwords.get(user["name"])
        if isinstance(password, str) and weakness(user["name"], password) and (not keep_weak or blank(password)):
            user["password"] = {"generate": True}


def _placeholders(imported: Imported, preset: dict) -> None:
    """An option set from the environment cannot be judged: a deployment value stays as written."""
    values = imported.config.values
    for dotted, key in sources().items():
        if dotted in LISTS or not is_placeholder(values.get(key)):
            continue
        where = f"{_where(imported.config, key)} = {values[key]}"
        if dotted in DEPLOYMENT and _get(preset, dotted) is None:
            imported.keep_as_written[key] = dotted
            imported.notes.append(Note("kept", f"as written: {where} (from the environment: {dotted} cannot be checked)"))
        else:
            imported.notes.append(Note("replaced", f"{where}: a value from the environment cannot be checked, "
                                                   f"so {dotted} takes the profile's or the hardened value",
                                       _place(imported.config, key)))


def _safe(dotted: str, value, default) -> bool:
    if dotted in DEPLOYMENT or dotted in REACH or same(value, default):
        return True
    if dotted in AT_MOST_DEFAULT:
        return value <= default
    if dotted in NARROWING:
        return True
    return any(same(value, safer) for safer in SAFER.get(dotted, ()))


def leaves(answers: dict, prefix: str = ""):
    """(dotted id, value) of every non-object answer."""
    for key, value in answers.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from leaves(value, dotted + ".")
        else:
            yield dotted, value


def _get(answers: dict, dotted: str):
    try:
        return get(answers, dotted)
    except (KeyError, TypeError):
        return None


def _deep_merge(into: dict, other: dict) -> None:
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _deep_merge(into[key], value)
        else:
            into[key] = value


def _where(config: ConfigSet, key: str) -> str:
    return config.where((key,))


def _show(value) -> str:
    return json.dumps(value, ensure_ascii=False)
