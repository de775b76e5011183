"""Compare a plan with what is on disk, show it as a masked diff, and write what changed."""

from __future__ import annotations

import difflib
import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from wizard.errors import BadInput, Problem
from wizard.harden import Plan
from wizard.orthanc.files import current, write_atomic
from wizard.orthanc.secret_spans import MASK, masked


@dataclass(frozen=True)
class Change:
    name: str
    path: Path
    old: str | None  # None: the file does not exist yet
    new: str
    mode: int
    content_changed: bool
    before: bytes | None = None  # the bytes on disk when the change was computed


def changes(plan: Plan, out_dir: Path) -> list[Change]:
    """The files of the plan whose bytes or mode differ from the ones in out_dir."""
    _check_writable(out_dir, plan)
    found = []
    for name, output in plan.files.items():
        path = out_dir / name
        existing = current(path)
        new_bytes = output.text.encode("utf-8")
        if existing == (new_bytes, output.mode):
            continue
        old = existing[0].decode("utf-8", "replace") if existing else None
        found.append(Change(name, path, old, output.text, output.mode,
                            existing is None or existing[0] != new_bytes, existing[0] if existing else None))
    return found


def _check_writable(out_dir: Path, plan: Plan) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise BadInput(Problem(str(out_dir), "$", "is not a directory"))
    for name in plan.files:
        if (out_dir / name).is_dir():
            raise BadInput(Problem(str(out_dir / name), "$", "is a directory, a file was expected"))


def changed_since_planned(found: list[Change]) -> list[Problem]:
    """The files that changed on disk (or appeared) since the changes were computed."""
    problems = []
    for change in found:
        existing = current(change.path)
        if (existing[0] if existing else None) != change.before:
            problems.append(Problem(str(change.path), "$", "changed on disk since orthanc-harden compared it: "
                                                           "nothing was written"))
    return problems


def write(found: list[Change], out_dir: Path) -> None:
    try:
        out_dir.mkdir(mode=0o750, parents=True, exist_ok=True)
        for change in found:
            write_atomic(change.path, change.new.encode("utf-8"), change.mode)
    except OSError as error:
        raise BadInput(Problem(str(error.filename or out_dir), "$", f"cannot be written ({error.strerror})")) from None


def diff(found: list[Change], configs: Collection[str] = (), secrets: Collection[str] = ()) -> str:
    """A unified diff of every changed file, the secrets of Orthanc configuration texts masked.

    Those are the *.json files and the ones named in `configs` (a single file given by
    --config may have any name). The other files are shown with each of `secrets` masked wherever
    it stands (a compose file, a secret file), and a file only its owner may read is not shown."""
    chunks = []
    for change in found:
        if not change.content_changed:
            chunks.append(f"mode of {change.path} becomes {change.mode:04o}\n")
            continue
        if change.mode & 0o077 == 0 and not change.name.endswith(".json"):
            chunks.append(f"{change.path}: a secret file (mode {change.mode:04o}): not shown\n")
            continue
        shown = masked if change.name.endswith(".json") or change.name in configs else _hiding(secrets)
        old = shown(change.old or "").splitlines(keepends=True)
        new = shown(change.new).splitlines(keepends=True)
        source = str(change.path) if change.old is not None else "/dev/null"
        lines = difflib.unified_diff(old, new, source, str(change.path))
        chunks += [line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines]
    return "".join(chunks)


def _hiding(secrets: Collection[str]):
    """Each secret masked wherever it stands, longest first (raw and as JSON writes it)."""
    forms = sorted({form for secret in secrets for form in (secret, json.dumps(secret)[1:-1])}, key=len, reverse=True)

    def hide(text: str) -> str:
        for form in forms:
            text = text.replace(form, MASK)
        return text
    return hide
