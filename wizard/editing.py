"""An existing configuration edited with the answers: each file changed only where it must."""

from __future__ import annotations

import grp
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wizard import harden, only_sets, residual, told
from wizard.notes import Note
from wizard.errors import BadInput, Problem, json_path
from wizard.harden import OutputFile, Plan
from wizard.importing import Imported
from wizard.orthanc import config_files, lua_scripts, merge, proxy_secret, release_check, secret_spans
from wizard.orthanc.config_files import ConfigFile, ConfigSet
from wizard.orthanc.entries import normal_peer
from wizard.topics.authentication import LUA_FILE
from wizard.topics.base import Answers, get

SECRET_KEYS = ("RegisteredUsers", "OrthancPeers")


@dataclass
class Target:
    """Where an edit goes: the configuration's own folder (in place) or a folder of copies."""

    out_dir: Path
    in_place: bool
    group: str  # the service's group, which must still read a file made private
    notes: list[str] = field(default_factory=list)
    owners: dict[str, tuple[int, int]] = field(default_factory=dict)


def plan(answers: Answers, profile_name: str, imported: Imported, out_dir: Path,
         replace_filter: bool = False, container: Callable[[dict], dict] | None = None,
         only: list[str] | None = None) -> Plan:
    """What editing `imported.config` into out_dir (its own folder: in place) would write.

    `container` adapts the settings for a compose service's container; its one configuration file
    is then virtual (what the image's generator builds): its mode and owner are not the edit's.
    With `only` (the dotted ids of the --set answers) only what those answers change is written
    (only_sets), and the reports only where an earlier run left its answers file."""
    config = imported.config
    target = Target(out_dir, same_folder(out_dir, config.folder), answers["service"]["group"])
    existing = previous_values(config, target)
    run = "in place" if target.in_place else "copies"
    if only is not None:
        base, existing = only_sets.baseline(answers, only, profile_name, existing, imported.keep_weak, run)
    result = harden.build(answers, profile_name, existing, keep_weak=imported.keep_weak, run=run)
    if only is not None:
        only_sets.restrict(result, base, config)
    settings = {k: v for k, v in result.settings.items() if not _kept_as_written(k, answers, imported)}
    if "LuaScripts" in settings:
        settings["LuaScripts"] = lua_scripts.listed(config, LUA_FILE, replace_filter, target.notes, result.warnings,
                                                    lua_scripts.defined(result.files.get(LUA_FILE, "")))
    if not target.in_place:
        _warn_relative_paths({**config.values, **settings}, out_dir, result.warnings)
    if container is not None:
        settings = container(settings)
    result.warnings += release_check.warnings(config, settings, answers["orthanc_version"], result.warnings)
    _refuse_keys_held_beside(config, settings)
    kept = only is not None and "RegisteredUsers" not in settings  # only what the --set answers change
    config = _without_removed(config, settings, {} if kept else imported.removable())
    editors = merge.write(config, settings)
    # Secrets of plugins, and the proxy's secret this run may add: the file that will hold one is private.
    named = {path[0] for path, _ in secret_spans.named({**config.values, **settings})} if container is None else set()
    files = {name: OutputFile(text, harden.private_mode(name, _mode(out_dir / name, 0o644)))
             for name, text in result.files.items()}
    for file in config.files:
        secret = container is None and _holds_secrets(config, settings, file, named)
        text = editors[file.name].result()
        files[file.name] = _config_output(file, text, secret, target, tighten=not kept)
        if target.in_place and file.path.is_symlink() and text.encode("utf-8") != file.raw:
            target.notes.append(Note("edited", f"{file.path.resolve()}, the file that {file.path} links to "
                                               "(the symbolic link is kept)"))
    if only is None or (out_dir / harden.ANSWERS_FILE).exists():
        files.update({name: OutputFile(o.text, _mode(out_dir / name, o.mode))
                      for name, o in harden.reports(_replayable(answers, result.rotated, imported), result, out_dir).items()})
    after = config_files.reparsed(imported.config, {f.name: files[f.name].text for f in config.files})
    notes = told.notes(imported, answers, after, result, target.notes)
    return Plan(files, result.warnings, result.generated, notes, target.owners, residual.of(after.values, answers))


# Options whose relative paths Orthanc resolves against the configuration's folder
# (InterpretStringParameterAsPath). Empty values are left out: nothing to find.
PATH_OPTIONS = ("LuaScripts", "Plugins", "SslCertificate", "HttpsCACertificates", "StorageDirectory", "IndexDirectory")


def _warn_relative_paths(settings: dict, out_dir: Path, warnings: list[str]) -> None:
    """Copies elsewhere resolve the same relative paths against another folder: say which."""
    for key in PATH_OPTIONS:
        value = settings.get(key) if key != "SslCertificate" or settings.get("SslEnabled") is True else None
        for path in value if isinstance(value, list) else [value]:
            if (isinstance(path, str) and path and path != LUA_FILE and "${" not in path
                    and not Path(path).is_absolute()):
                warnings.append(f"{key} gives {path} relative to the configuration's folder: Orthanc started "
                                f"on the copies in {out_dir} looks for it there (copy it, or make the path absolute)")


def _refuse_keys_held_beside(config: ConfigSet, settings: dict) -> None:
    beside = config_files.sibling_keys(config)
    clashes = [key for key in settings if key not in config.holders and key in beside]
    if clashes:
        raise BadInput([Problem(str(config.path), json_path((key,)), f"would be added here, but {beside[key]} "
                                "defines it too: Orthanc refuses to start when it reads this folder (as Debian's "
                                f"service does); give the folder {config.folder} to --config instead")
                        for key in clashes])


def same_folder(out_dir: Path, folder: Path) -> bool:
    try:
        return out_dir.resolve() == folder.resolve()
    except OSError:
        return False


def previous_values(config: ConfigSet, target: Target) -> dict:
    """The values whose passwords a run keeps: the configuration's, plus, when writing copies,
    those an earlier run put into the copies (so that a second run generates nothing new)."""
    values = dict(config.values)
    if not target.in_place:
        copy = target.out_dir if config.path.is_dir() else target.out_dir / config.path.name
        try:
            earlier = config_files.read(copy).values if copy.exists() else {}
        except BadInput:
            earlier = {}
        for key in SECRET_KEYS:
            if isinstance(earlier.get(key), dict):
                values[key] = {**earlier[key], **(values.get(key) if isinstance(values.get(key), dict) else {})}
        if proxy_secret.OPTION not in values and proxy_secret.kept(earlier):
            values[proxy_secret.OPTION] = earlier[proxy_secret.OPTION]
    peers = values.get("OrthancPeers")
    if isinstance(peers, dict):  # the topics look passwords up in the object form
        values["OrthancPeers"] = {name: normal_peer(entry) for name, entry in peers.items()}
    return values


def existing_secrets(config: dict) -> set[str]:
    """Every password an existing configuration holds."""
    users = config.get("RegisteredUsers")
    found = {v for v in users.values() if isinstance(v, str)} if isinstance(users, dict) else set()
    peers = config.get("OrthancPeers")
    for peer in peers.values() if isinstance(peers, dict) else ():
        password = (normal_peer(peer) or {}).get("Password")
        if isinstance(password, str):
            found.add(password)
    return found


def _replayable(answers: Answers, rotated: list[str], imported: Imported) -> Answers:
    """The answers to save: a user read from the configuration whose well-known password was
    replaced keeps the new one from now on, as the next run reads it (a profile's user keeps its spec)."""
    asked = {u.get("name") for u in (imported.asked.get("authentication") or {}).get("users") or ()}
    renewed = set(rotated) & imported.removable()["RegisteredUsers"] - asked
    if not renewed:
        return answers
    users = [{**u, "password": {"keep": True}} if u["name"] in renewed else u for u in answers["authentication"]["users"]]
    return {**answers, "authentication": {**answers["authentication"], "users": users}}


def _kept_as_written(key: str, answers: Answers, imported: Imported) -> bool:
    """A `${VAR}` deployment value stays unless the answer was changed after import."""
    dotted = imported.keep_as_written.get(key)
    return dotted is not None and get(answers, dotted) == get(imported.starting, dotted)


def _without_removed(config: ConfigSet, settings: dict, removable: dict[str, set[str]]) -> ConfigSet:
    """Entries dropped from the answers are removed first, then the files are read again, so
    that the later edits see where everything now is."""
    editors = merge.removals(config, settings, removable)
    if not editors:
        return config
    return config_files.reparsed(config, {name: editor.result() for name, editor in editors.items()})


def _holds_secrets(config: ConfigSet, settings: dict, file: ConfigFile, named: set[str]) -> bool:
    for key in SECRET_KEYS:
        holder = config.holders.get(key) or config.home(key)
        value = settings.get(key, config.values.get(key))
        if holder is file and existing_secrets({key: value}):
            return True
    # Another secret (a plugin's database password or storage keys, the proxy's) kept or put in the
    # file: the same protection.
    return any((config.holders.get(key) or config.home(key)) is file for key in named)


def _config_output(file: ConfigFile, text: str, secret: bool, target: Target, tighten: bool = True) -> OutputFile:
    """The file's mode and owner are kept; a file holding passwords loses access for others (unless
    not `tighten`: an edit of only some answers, which leaves the rest, modes included, to the audit)."""
    path = target.out_dir / file.name
    mode = file.stat.st_mode & 0o7777 if target.in_place else _mode(path, file.stat.st_mode & 0o7777)
    owner = (file.stat.st_uid, file.stat.st_gid)
    if tighten and secret and mode & 0o007:
        target.notes.append(Note("tightened", f"{path}: it holds passwords and was readable by every local account "
                                              f"(mode {mode:04o} → {mode & ~0o007:04o})"))
        mode &= ~0o007
        if target.in_place:
            owner = _service_group(owner, path, target)
    if target.in_place:
        target.owners[file.name] = owner
    return OutputFile(text, mode, secret=secret)


def _service_group(owner: tuple[int, int], path: Path, target: Target) -> tuple[int, int]:
    """A root-owned file made unreadable to others goes to the service's group, as Debian does
    for credentials.json, so that Orthanc can still read it."""
    try:
        gid = grp.getgrnam(target.group).gr_gid
    except KeyError:
        target.notes.append(f"make sure the Orthanc service can still read {path} (no group {target.group!r} here)")
        return owner
    if owner[1] == 0 and gid != 0 and os.geteuid() == 0:
        target.notes.append(Note("gave", f"{path} to group {target.group!r}, so that the Orthanc service can still read it"))
        return owner[0], gid
    return owner


def _mode(path: Path, default: int) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return default
