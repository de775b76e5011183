"""`orthanc-harden` with no command: the Textual wizard, or line-by-line prompts with --plain."""

from __future__ import annotations

import sys
from pathlib import Path

from wizard import cli, profile, resources, workflow
from wizard.errors import BadInput
from wizard.flow import Origin
from wizard.orthanc import installed

DEBIAN_CONFIG = Path("/etc/orthanc")


def run(args) -> int:
    origins, preselect = starts(args.preset, args.config, args.out)
    if args.plain or not sys.stdin.isatty():
        from wizard.tui import prompts
        return prompts.run(origins, preselect)
    from wizard.tui.app import make_app
    app = make_app(origins, preselect)
    result = app.run()
    return app.return_code or result or 0  # return_code is 1 when the app crashed


def starts(preset: str | None, config: str | None, out: str | None,
           debian: Path | None = DEBIAN_CONFIG) -> tuple[list[Origin], str]:
    """The ways to start offered on the first screen, and the one chosen by the arguments.

    `debian` is the configuration offered for editing when --config is not given.
    """
    out_dir = Path(out) if out else cli.default_out()
    # Started on the server itself: the release question starts at the Orthanc installed here.
    here = {"orthanc_version": release} if (release := installed.release()) else {}
    found = [Origin("new", "New configuration", "every answer at its hardened default", here, "answers", out_dir)]
    edit = editing(preset, config, out, debian)
    found += [edit] if edit else []
    found += [preset_origin(name, out_dir, here) for name in resources.preset_names()]
    if preset and preset not in resources.preset_names():
        found.append(preset_origin(preset, out_dir, here))
    # Debian's configuration is offered, not chosen: nothing in /etc is touched unless asked for.
    chosen = "edit" if config else (f"preset:{preset}" if preset else "new")
    return found, chosen


def preset_origin(name: str, out_dir: Path, here: dict | None = None) -> Origin:
    """A preset to start from; `here` fills what it leaves to the host (the installed release)."""
    raw, path = profile.load(name)
    detail = raw.get("description", path)
    return Origin(f"preset:{name}", f"Preset {name}", detail, {**(here or {}), **raw}, path, out_dir)


def editing(preset: str | None, config: str | None, out: str | None, debian: Path | None) -> Origin | None:
    """Editing the configuration given, or Debian's when there is one."""
    path = Path(config) if config else (debian if debian and debian.is_dir() else None)
    if path is None:
        return None
    try:
        answers, imported, notes = workflow.starting_answers(preset, path, lenient=True)
    except BadInput:
        if config:
            raise
        return None  # an unreadable /etc/orthanc is not offered; --config would say why
    out_dir = Path(out) if out else (path if path.is_dir() else path.parent)
    where = "in place, with backups" if out_dir == (path if path.is_dir() else path.parent) else f"into {out_dir}"
    return Origin("edit", f"Edit {path}", f"every answer read from it; only what changes is written back, {where}",
                  answers, str(path), out_dir, imported, tuple(notes), preset)
