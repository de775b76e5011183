"""A JSON value as the text of an environment variable (or a secret) that the image's generator
reads back as that very value. The generator tries `json.loads` first and keeps the text only when
that fails, so text that would parse (`1234`, `true`, `null`, ` 12`, `NaN`, `"x"`) is written as a
JSON string literal (`"1234"`), which parses back to the text; everything else is written as is.
Objects and arrays are compact JSON on one line (a line of an env_file cannot hold more)."""

from __future__ import annotations

import json
import re

_ENV_FILE_PLAIN = re.compile(r"[^\s'\"`$#\\][^\n$\\]*")


def env_text(value) -> str:
    """The variable's text for `value` (any JSON value)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if _parses(value) else value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def secret_text(value) -> str:
    """A secret file's content for `value`: the generator strips trailing newlines, then reads it as
    a variable's text; a string is always written as JSON so that no content is ever misread."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def env_file_value(text: str) -> str | None:
    """The text as written after `NAME=` in an env_file, or None when no spelling is read alike by
    Debian's docker-compose 1.29 (python-dotenv: quotes kept in some versions, no `$` expansion)
    and by docker compose v2 (quotes removed, `$` expanded, ` #` starts a comment): only a text
    without quotes, `$`, backslashes, ` #`, surrounding blanks or newlines is safe."""
    if not text:
        return text
    if not _ENV_FILE_PLAIN.fullmatch(text) or text != text.strip() or " #" in text or "\t#" in text:
        return None
    return text
