"""`orthanc-harden` with no command: the Textual wizard, or line-by-line prompts with --plain."""

from __future__ import annotations

import sys
from pathlib import Path

from wizard import overrides, profile, resources, workflow
from wizard.commands import default_out
from wizard.errors import BadInput
from wizard.flow import Origin
from wizard.orthanc import installed

DEBIAN_CONFIG = Path("/etc/orthanc")


def run(args) -> int:
    given = overrides.parse(args.sets)
    origins, preselect = starts(args.preset, args.config, args.out, given=given, keep_weak=args.keep_weak_passwords,
                                service=args.service)
    if args.plain or not sys.stdin.isatty():
        from wizard.tui import prompts
        return prompts.run(origins, preselect)
    from wizard.tui.app import make_app
    app = make_app(origins, preselect)
    result = app.run()
    return app.return_code or result or 0  # return_code is 1 when the app crashed


def starts(preset: str | None, config: str | None, out: str | None,
           debian: Path | None = DEBIAN_CONFIG, given: dict | None = None,
           keep_weak: bool = False, service: str | None = None) -> tuple[list[Origin], str]:
    """The ways to start offered on the first screen, and the one chosen by the arguments.

    `debian` is the configuration offered for editing when --config is not given; `given` are
    the answers of --set, laid on every way to start; `service` picks a compose file's service.
    """
    out_dir = Path(out) if out else default_out()
    # Started on the server itself: the release question starts at the Orthanc installed here.
    here = {"orthanc_version": release} if (release := installed.release()) else {}
    given = given or {}
    edit = editing(preset, config, out, debian, given, keep_weak, service)
    # Where a configuration exists, editing it comes first: a new orthanc.json copied beside
    # Debian's credentials.json would stop Orthanc, and would drop what the files already say.
    found = [edit] if edit else []
    found.append(Origin("new", "New configuration", "every answer at its hardened default",
                        profile.overlay(here, given), "answers", out_dir))
    found.append(compose_origin(out_dir, given))
    found += [preset_origin(name, out_dir, here, given) for name in resources.preset_names()]
    if preset and preset not in resources.preset_names():
        found.append(preset_origin(preset, out_dir, here, given))
    # Chosen is not written: nothing in /etc changes before the review is confirmed.
    chosen = "edit" if edit and (config or not preset) else (f"preset:{preset}" if preset else "new")
    return found, chosen


def compose_origin(out_dir: Path, given: dict) -> Origin:
    """A new compose deployment of the orthancteam/orthanc image: an upstream build, at the newest
    release that has a non-root image (the host's Orthanc is not the one that runs)."""
    from wizard.sources.compose import new
    settled = {"orthanc_build": "upstream", "orthanc_version": new.releases()[-1], **given}
    return Origin("new-compose", "New Docker compose deployment",
                  f"docker-compose.yml for the {new.IMAGE} image, secrets in files, the filter mounted",
                  settled, "answers", out_dir, deployment="compose")


def preset_origin(name: str, out_dir: Path, here: dict | None = None, given: dict | None = None) -> Origin:
    """A preset to start from; `here` fills what it leaves to the host (the installed release),
    `given` (--set) goes on top."""
    raw, path = profile.read(name)  # the wizard asks what the preset leaves to the site
    detail = raw.get("description", path)
    return Origin(f"preset:{name}", f"Preset {name}", detail, profile.overlay(profile.overlay(here or {}, raw), given or {}), path, out_dir)


def editing(preset: str | None, config: str | None, out: str | None, debian: Path | None,
            given: dict | None = None, keep_weak: bool = False, service: str | None = None) -> Origin | None:
    """Editing the configuration given, or Debian's when there is one."""
    path = Path(config) if config else (debian if debian and debian.is_dir() else None)
    if path is None:
        return None
    try:
        answers, imported, notes = workflow.starting_answers(preset, path, given, lenient=True, keep_weak=keep_weak,
                                                             service=service)
    except BadInput:
        if config:
            raise
        return None  # an unreadable /etc/orthanc is not offered; --config would say why
    out_dir = Path(out) if out else (path if path.is_dir() else path.parent)
    where = "in place, with backups" if out_dir == (path if path.is_dir() else path.parent) else f"into {out_dir}"
    return Origin("edit", f"Edit {path}", f"every answer read from it; only what changes is written back, {where}",
                  answers, str(path), out_dir, imported, tuple(notes), preset)
