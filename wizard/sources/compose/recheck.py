"""The edited deployment read again before anything is written: the reader runs on a mirror of the
file system (a scratch folder holding the changed files where they would be, every other name a
symbolic link to the original), so relative paths, `../` and the other services resolve as they
will after the write. What the generator would build must be the wanted configuration, the
container must start, and no new generator warning (a key defined twice) may appear."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from wizard.errors import BadInput, Problem
from wizard.orthanc.merge import same
from wizard.sources.compose import reading
from wizard.sources.compose.model import Deployment


def read_again(deployment: Deployment, texts: Mapping[Path, str], environ: Mapping[str, str] | None) -> Deployment:
    """The deployment as it reads once `texts` (host path -> new text) are written."""
    texts = {Path(os.path.abspath(p)): t for p, t in texts.items()}
    compose = Path(os.path.abspath(deployment.file))
    texts.setdefault(compose, deployment.text)
    with tempfile.TemporaryDirectory(prefix="orthanc-harden-check-") as scratch:
        top = Path(scratch)
        texts[compose] = _into(top, texts[compose], [path for path in texts if path != compose])
        _mirror(top, texts)
        return reading.load(top / compose.relative_to("/"), deployment.service.name, environ)


def _into(top: Path, text: str, changed: list[Path]) -> str:
    """The compose text with the absolute host paths of changed files pointing into the mirror
    (a relative path gets there by itself, from the mirrored compose file's folder)."""
    for path in sorted(changed, key=lambda p: -len(str(p))):
        text = text.replace(str(path), str(top / path.relative_to("/")))
    return text


def _mirror(top: Path, texts: Mapping[Path, str]) -> None:
    folders = sorted({parent for path in texts for parent in path.parents}, key=lambda p: len(p.parts))
    real = set(folders) | set(texts)
    for folder in folders:
        here = top / folder.relative_to("/")
        here.mkdir(parents=True, exist_ok=True)
        try:
            children = list(os.scandir(folder))
        except OSError:
            continue
        for child in children:
            if Path(child.path) not in real:
                (here / child.name).symlink_to(child.path)
    for path, text in texts.items():
        (top / path.relative_to("/")).write_text(text, "utf-8", newline="")


def check(deployment: Deployment, after: Deployment, wanted: dict) -> None:
    """BadInput naming the first key the edited deployment would not give as wanted."""
    where = f"services.{deployment.service.name}"
    generated = after.generated
    if generated.exit != 0 or generated.config is None:
        raise BadInput(Problem(str(deployment.file), where, f"the edit would stop the container "
                                                            f"(the image's generator exits {generated.exit}): "
                                                            f"{generated.reason}"))
    wrong = _difference(generated.config, wanted, generated.origins, ())
    if wrong is not None:
        raise BadInput(Problem(str(deployment.file), where, f"{'.'.join(wrong)}: the edited files would not give "
                                                            "the wanted value; nothing is written"))
    new = [w for w in generated.warnings if w not in deployment.generated.warnings]
    if new:
        raise BadInput(Problem(str(deployment.file), where, f"the edit would make the generator warn: {new[0]}"))


def _difference(got, wanted, origins, path: tuple) -> tuple | None:
    """The first path where `got` differs from `wanted`; what `wanted` lacks may be an image default."""
    if isinstance(got, dict) and isinstance(wanted, dict):
        for key in dict.fromkeys([*wanted, *got]):
            here = (*path, key)
            if key not in wanted:
                if not _default(origins, here):
                    return here
            elif key not in got:
                return here
            else:
                found = _difference(got[key], wanted[key], origins, here)
                if found is not None:
                    return found
        return None
    return None if same(got, wanted) else path


def _default(origins, path: tuple) -> bool:
    """Whether `path` and everything below it come from the image's defaults."""
    below = [o for p, o in origins.items() if p[: len(path)] == path]
    return bool(below) and all(o.kind == "default" for o in below)
