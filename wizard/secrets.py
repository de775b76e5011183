"""Passwords: generated once, read from the environment, kept, or given literally."""

from __future__ import annotations

import os
import string
from pathlib import Path
from secrets import choice  # the standard library's, made for this (PEP 506)

from wizard.errors import BadInput, Problem
from wizard.orthanc.files import write_atomic

# Letters and digits only: nothing that JSON, Orthanc's `${VAR}` substitution, a shell or
# HTTP Basic authentication could misread. 24 of 62 symbols give about 143 bits of entropy.
LENGTH = 24
CHARSET = string.ascii_letters + string.digits
MAX_BYTES = 72  # bcrypt's limit: what a proxy or a later hash could silently truncate


def generate() -> str:
    return "".join(choice(CHARSET) for _ in range(LENGTH))


def resolve(spec, existing: str | None, where: tuple[str, str]) -> tuple[str, str]:
    """The password for a spec, and how it was obtained: generated, env, kept or literal.

    `where` is (file, json_path) for error messages. A generated password is made only when
    none exists yet, so that a second identical run changes nothing.
    """
    if isinstance(spec, str):
        return check(spec, where), "literal"
    if spec.get("generate"):
        return (existing, "kept") if existing else (generate(), "generated")
    if spec.get("keep"):
        if existing is None:
            raise BadInput(Problem(*where, "'keep' asks for the existing password, but there is none"))
        if not existing.strip():
            raise BadInput(Problem(*where, "'keep' asks for the existing password, but it is empty or only spaces: "
                                           "anyone logs in with it (generate one instead)"))
        return existing, "kept"
    name = spec["env"]
    value = os.environ.get(name)
    if not value:
        raise BadInput(Problem(*where, f"the environment variable {name} is not set or empty"))
    return check(value, where, f"the value of {name}"), "env"


def check(value: str, where: tuple[str, str], what: str = "the password") -> str:
    if not value.strip():
        raise BadInput(Problem(*where, f"{what} is only spaces: Orthanc would take it as it is, and nobody has to guess it"))
    if len(value.encode("utf-8")) > MAX_BYTES:
        raise BadInput(Problem(*where, f"{what} is longer than {MAX_BYTES} UTF-8 bytes"))
    if "${" in value:
        raise BadInput(Problem(*where, f"{what} contains '${{', which Orthanc would replace from the environment"))
    return value


# Generated passwords handed over in a file: apply's --secrets-file, and the wizard's file beside
# what it wrote, which `verify` reads by default. Not *.json: Orthanc reads every *.json of its folder.
HANDED_FILE = "orthanc-harden-secrets.txt"


def hand_over_file(path: Path, generated: dict[str, str], keep_others: bool = False) -> None:
    """Write `who: password` lines (`user NAME`, `peer NAME`), mode 0600. With keep_others, the
    lines of an earlier run for others stay: a run that generates one new user's password must not
    take away the passwords handed over before."""
    handed = read_handed(path, every=True) if keep_others and path.exists() else {}
    handed.update(generated)
    write_atomic(path, "".join(f"{who}: {password}\n" for who, password in handed.items()).encode("utf-8"), 0o600)


def hand_over_beside(folder: Path, generated: dict[str, str]) -> Path | None:
    """The wizard's hand-over: the passwords it generated, in HANDED_FILE of the folder it wrote."""
    if not generated:
        return None
    path = folder / HANDED_FILE
    hand_over_file(path, generated, keep_others=True)
    return path


def handed_note(path: Path, out_dir: Path) -> str:
    """Where the wizard handed the generated passwords over, and what reads them (done screen, --plain)."""
    return (f"They are also in {path} (mode 0600, readable by its owner only): `orthanc-harden verify {out_dir}` "
            "reads it to prove that each user logs in with the password handed over. Delete it once they are "
            "handed over, or keep it for verify.")


def read_handed(path: Path, every: bool = False) -> dict[str, str]:
    """The passwords of a hand-over file, by user name (by `user NAME`/`peer NAME` with every);
    BadInput names the line that is not `user NAME: PASSWORD`."""
    try:
        text = path.read_text("utf-8")
    except OSError as error:
        raise BadInput(Problem(str(path), "$", f"cannot read it: {error.strerror}")) from None
    found = {}
    for number, line in enumerate(text.splitlines(), 1):
        who, sep, password = line.partition(": ")
        if not line.strip() or (who.startswith("peer ") and not every):
            continue
        if not sep or not who.startswith(("user ", "peer ")):
            raise BadInput(Problem(str(path), f"line {number}", "expected `user NAME: PASSWORD`, as apply writes it"))
        found[who if every else who[len("user "):]] = password
    return found
