"""What the wizard checks of a password as the admin gives it: a variable it names is set in the
wizard's own environment, and a typed password is not weak (the audit's rule, then zxcvbn).

Pure but for reading os.environ; both front ends show these messages as they are.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from wizard.topics.authentication import weakness

ACCEPTED = 3  # zxcvbn's score (0 to 4) from which a typed password is taken: "safely unguessable"
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
LISTS = (("authentication", "users", "user"), ("outgoing", "peers", "peer"))


@dataclass(frozen=True)
class Rating:
    """zxcvbn's score, why the password is refused (None when it is taken), and how to say it."""

    score: int
    refused: str | None
    said: str


@lru_cache(maxsize=4)  # ~10 ms each: the dialog asks for the same one twice per key typed
def rate(name: str, password: str, others: tuple[str, ...] = ()) -> Rating:
    """A typed password of user `name`: refused when the audit calls it weak (well-known, the
    user's own name, short) or when zxcvbn rates it below ACCEPTED."""
    from zxcvbn import zxcvbn  # its word lists take ~20 ms to load: only when a password is typed

    rated = zxcvbn(password[:100], user_inputs=[name, "orthanc", *others])
    score, feedback = rated["score"], rated["feedback"]
    guessed = rated["crack_times_display"]["offline_slow_hashing_1e4_per_second"]
    said = f"strength {score} of 4 (zxcvbn): guessed in {guessed} at 10,000 guesses a second"
    if why := weakness(name, password):
        return Rating(score, f"too weak: {why}", said)
    if score < ACCEPTED:
        hint = feedback["warning"] or " ".join(feedback["suggestions"][:1])
        return Rating(score, f"too weak: {said}" + (f"; {hint.rstrip('.')}" if hint else ""), said)
    return Rating(score, None, said)


def unset(spec) -> str | None:
    """The variable a password spec reads that is not set (or empty, or only spaces) in this environment."""
    name = spec.get("env") if isinstance(spec, dict) else None
    if isinstance(name, str) and ENV_NAME.match(name) and not os.environ.get(name, "").strip():
        return name
    return None


def unset_message(name: str, noun: str | None = None) -> str:
    """Said of an item (noun None: in its own dialog, as it is edited) or of the answers."""
    said = f"${name} is not set in the wizard's environment"
    if noun is None:
        return said + ": give its value for this run, or choose another source"
    return (said + f" (the password is read from it when the files are written): open the {noun} to give its "
            "value for this run, or export it and start again")


def unset_variables(answers: dict):
    """(path, message) for every user or peer whose password names a variable that is not set."""
    for section, key, noun in LISTS:
        for index, entry in enumerate(answers.get(section, {}).get(key, [])):
            if name := unset(entry.get("password")):
                yield (section, key, index, "password"), unset_message(name, noun)
