"""The write path shared by `apply` and the interactive front ends: plan, compare, write."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from wizard import editing, harden, importing, jsonc, outputs, profile, sources
from wizard.errors import BadInput, Problem, StaleInput, json_path
from wizard.importing import Imported
from wizard.orthanc import config_files, installed, replace, secret_spans
from wizard.topics.base import Answers


@dataclass
class Prepared:
    """A run computed in full and checked, before anything is written."""

    plan: harden.Plan
    out_dir: Path
    changes: list[outputs.Change]
    in_place: bool = False  # editing a configuration where it is: backups, owners kept
    backups: list[Path] = field(default_factory=list)
    source: config_files.ConfigSet | None = None  # the configuration edited, as it was read

    def diff(self) -> str:
        """The changes as a unified diff, the passwords of the configuration masked."""
        if self.source is not None and sources.is_compose(self.source):  # YAML and secret files: by value
            hidden = secret_spans.values(self.source.values) | set(self.plan.generated.values())
            return outputs.diff(self.changes, (), hidden)
        return outputs.diff(self.changes, [file.name for file in self.source.files] if self.source else ())

    def write(self) -> None:
        """Write the changes as they were computed; raises StaleInput, writing nothing, when a
        file changed on disk since it was read (another editor, a package upgrade). Another
        orthanc-harden writing the same folder (apply, the wizard) is waited for, then the files
        are compared again: what it wrote is never overwritten by a plan made before it."""
        self._refuse_stale()
        with replace.locked(self.out_dir):
            self._refuse_stale()
            if not self.in_place:
                outputs.write(self.changes, self.out_dir)
                return
            items = [(c.path, c.new.encode("utf-8"), c.mode, self.plan.owners.get(c.name) or _owner(c.path))
                     for c in self.changes]
            self.backups = replace.write_with_backups(items)

    def _refuse_stale(self) -> None:
        stale = config_files.changed_since_read(self.source) if self.source is not None else []
        named = {problem.file for problem in stale}
        stale += [p for p in outputs.changed_since_planned(self.changes) if p.file not in named]
        if stale:
            raise StaleInput(stale)


def starting_answers(preset: str | None, config: Path | None, overrides: dict | None = None,
                     lenient: bool = False, keep_weak: bool = False,
                     service: str | None = None) -> tuple[Answers, Imported | None, list[str]]:
    """The answers to start from: hardened defaults < the existing configuration < the preset.

    Returns the effective answers, the configuration read (pass it to `prepare`), and notes
    saying what was kept and what was hardened. `overrides` are profile keys set on top of the
    preset (such as orthanc_version from the command line). `lenient`: imported answers that
    break the rules are kept (with a note each) instead of refused, for the wizard to show.
    `service` picks the compose service when `config` is a compose deployment with several.
    """
    raw, name = profile.read(preset) if preset else ({}, "(hardened defaults)")
    if overrides:
        raw = profile.overlay(raw, overrides)
    if config is None:
        problems = profile.validate(raw, name)
        if problems:
            raise BadInput(problems)
        return profile.effective(raw), None, []
    source = sources.read(Path(config), service)
    if getattr(source, "mistyped", None):  # a compose variable the generator made a number where text is read
        raise BadInput(source.mistyped)
    if sources.is_compose(source):  # the image's release and build, unless the profile or --set say otherwise
        from wizard.sources.compose import source as compose_source
        raw = profile.overlay(compose_source.image_answers(source), raw)
    imported = importing.start(source, raw, name, lenient, keep_weak, overrides)
    return imported.starting, imported, imported.notes


def prepare(answers: Answers, profile_name: str, out_dir: Path, config: Imported | None = None,
            replace_filter: bool = False, deployment: str = "files", only: list[str] | None = None) -> Prepared:
    """Plan the run. With `config`, edit that configuration: in place when out_dir is its
    folder, else as copies in out_dir. Without, write a new configuration into out_dir (a
    compose deployment with `deployment` "compose"), keeping the passwords an earlier run wrote there."""
    if config is None and deployment == "compose":
        from wizard.sources.compose import new
        plan = new.plan(answers, profile_name, out_dir)
        return Prepared(plan, out_dir, outputs.changes(plan, out_dir))  # the image's release, not this host's
    if only is not None and (config is None or sources.is_compose(config.config)):
        raise BadInput(Problem("--preset", "$", "give a preset or a profile: without one, apply edits only what "
                                                "the --set answers change in the --config files (not a compose "
                                                "deployment, whose ports and mounts an edit changes too)"))
    if config is not None and sources.is_compose(config.config):
        from wizard.sources.compose import edited
        plan = edited.plan(answers, profile_name, config, out_dir, replace_filter)
        return Prepared(plan, out_dir, outputs.changes(plan, out_dir), True, source=config.config)
    if config is not None:
        plan = editing.plan(answers, profile_name, config, out_dir, replace_filter, only=only)
        in_place = editing.same_folder(out_dir, config.config.folder)
        prepared = Prepared(plan, out_dir, outputs.changes(plan, out_dir), in_place, source=config.config)
    else:
        _refuse_a_configuration_not_ours(out_dir)
        existing = previous_config(out_dir)
        plan = harden.plan(answers, profile_name, existing, out_dir)
        _refuse_keys_defined_beside(out_dir, plan)
        prepared = Prepared(plan, out_dir, outputs.changes(plan, out_dir))
    if warning := installed.mismatch(answers["orthanc_version"], installed.release()):
        plan.warnings.append(warning)
    return prepared


def prepare_new_compose(preset: str, overrides: dict, out_dir: Path) -> tuple[Answers, Prepared]:
    """A new compose deployment of the orthancteam/orthanc image in out_dir (`apply --deployment
    compose`): the answers it settles (an upstream build, a release with a non-root image), and the
    run planned, keeping the passwords an earlier run wrote there."""
    from wizard.sources.compose import new

    answers, _, _ = starting_answers(preset, None, new.overrides(preset, overrides))
    return answers, prepare(answers, str(profile.locate(preset)), out_dir, deployment="compose")


def _refuse_a_configuration_not_ours(out_dir: Path) -> None:
    """A new configuration replaces orthanc.json whole: only one an earlier run wrote (its
    answers file beside it), never an admin's, whose comments would go without a backup."""
    config = out_dir / harden.CONFIG_FILE
    if config.exists() and not (out_dir / harden.ANSWERS_FILE).exists():
        raise BadInput(Problem(str(config), "$", "holds a configuration orthanc-harden did not write: edit it with "
                                                 f"--config {out_dir} (comments kept, a backup made), or choose "
                                                 "another --out"))


def _refuse_keys_defined_beside(out_dir: Path, plan: harden.Plan) -> None:
    """Orthanc merges every *.json of the folder and refuses to start on a key defined twice."""
    ours = json.loads(plan.files[harden.CONFIG_FILE].text)
    beside = config_files.keys_beside(out_dir, out_dir / harden.CONFIG_FILE)
    clashes = [Problem(str(beside[key]), json_path((key,)), f"is also written to {out_dir / harden.CONFIG_FILE}: "
                       "Orthanc refuses to start on a key defined twice in its folder; edit this folder with "
                       f"--config {out_dir} instead, or choose another --out") for key in ours if key in beside]
    if clashes:
        raise BadInput(clashes)


def previous_config(out_dir: Path) -> dict:
    """The orthanc.json written by an earlier run, whose passwords a new run keeps."""
    path = out_dir / harden.CONFIG_FILE
    if not path.is_file():
        return {}
    config = jsonc.load(path)
    if not isinstance(config, dict):
        raise BadInput(Problem(str(path), "$", "must hold a JSON object"))
    return config


def _owner(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_uid, stat.st_gid
