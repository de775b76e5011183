"""What a service's Dockerfile says that the generator sees: the final stage's base image, its
`ENV` lines (the container's environment under compose's `environment`) and the files its
`COPY`/`ADD` lines put in /etc/orthanc. Only the simple forms are followed: a base or source
written with `$` or taken `--from` another stage is not."""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from wizard.sources.compose.model import Variable


@dataclass
class Dockerfile:
    path: Path
    base: str | None = None  # the final stage's image, through stage names
    environment: dict[str, Variable] = field(default_factory=dict)
    copies: list[tuple[Path, str, int]] = field(default_factory=list)  # (host file, container path, line)
    unfollowed: list[str] = field(default_factory=list)  # lines that copy into /etc/orthanc in a way not followed


def read(path: Path, context: Path) -> Dockerfile:
    found = Dockerfile(path)
    stages: dict[str, str | None] = {}
    for line, instruction, argument in _instructions(path.read_text("utf-8", errors="replace")):
        if instruction == "FROM":
            words = [w for w in argument.split() if not w.startswith("--")]
            image = words[0] if words and "$" not in words[0] else None
            image = stages.get(image.lower(), image) if image else None
            if len(words) >= 3 and words[1].lower() == "as":
                stages[words[2].lower()] = image
            found.base, found.environment, found.copies, found.unfollowed = image, {}, [], []
        elif instruction == "ENV":
            for key, value in _env_pairs(argument):
                found.environment[key] = Variable(key, value, argument, path, line)
        elif instruction in ("COPY", "ADD"):
            _copy(found, context, argument, line)
    return found


def _instructions(text: str):
    """(line, INSTRUCTION, argument), continuation lines joined, comments skipped."""
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        start = start if pending else number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        whole = (pending + stripped).strip()
        pending = ""
        instruction, _, argument = whole.partition(" ")
        yield start, instruction.upper(), argument.strip()


def _env_pairs(argument: str) -> list[tuple[str, str]]:
    try:
        words = shlex.split(argument)
    except ValueError:
        return []
    if words and "=" not in words[0]:  # the old form: ENV KEY the rest of the line
        return [(words[0], argument.split(None, 1)[1] if len(argument.split(None, 1)) > 1 else "")]
    return [tuple(word.split("=", 1)) for word in words if "=" in word]


def _copy(found: Dockerfile, context: Path, argument: str, line: int) -> None:
    flags = re.findall(r"--(\S+)", argument)
    words = _copy_words(re.sub(r"--\S+\s*", "", argument))
    if len(words) < 2:
        return
    *sources, destination = words
    if not destination.startswith("/etc/orthanc"):
        return
    if any(flag.startswith("from") for flag in flags) or any("$" in word or "://" in word for word in words):
        found.unfollowed.append(f"line {line}: COPY {argument}")
        return
    for source in sources:
        for host in sorted(context.glob(source)) if any(c in source for c in "*?[") else [context / source]:
            files = sorted(p for p in host.iterdir() if p.is_file()) if host.is_dir() else [host]
            for file in files:
                into_folder = destination.endswith("/") or destination == "/etc/orthanc" or len(files) > 1 or host.is_dir()
                target = posixpath.join(destination, file.name) if into_folder else destination
                found.copies.append((file, posixpath.normpath(target), line))


def _copy_words(argument: str) -> list[str]:
    argument = argument.strip()
    if argument.startswith("["):
        return re.findall(r'"((?:[^"\\]|\\.)*)"', argument)
    return argument.split()
