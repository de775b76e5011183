"""Words for answers, shared by the Textual screens and the line-by-line prompts (no UI here)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from wizard import profile, versions
from wizard.flow import ANSWERED, PROBLEMS, SKIPPED, UNTOUCHED
from wizard.importing import DEPLOYMENT
from wizard.orthanc.store_policy import FILTER_SINCE
from wizard.topics.base import Question, get

STATE_ICONS = {UNTOUCHED: "○", ANSWERED: "●", PROBLEMS: "✗", SKIPPED: "–"}
PASSWORD_MODES = ("generate", "type", "env", "keep")
# The sources offered for a password, in this order in both front ends (a peer's is its own to give).
USER_PASSWORD_MODES, PEER_PASSWORD_MODES = ("generate", "type", "env"), ("env", "type", "generate")
PASSWORD_LABELS = {"generate": "Generate one (shown once)", "type": "Type it",
                   "env": "Read it from an environment variable", "keep": "Keep the current one"}


@cache
def _defaults() -> dict:
    return profile.defaults()


def _definition(name: str) -> dict:
    return profile.schema()["$defs"][name]


def roles() -> tuple[str, ...]:
    return tuple(_definition("user")["properties"]["role"]["enum"])


def commands() -> tuple[str, ...]:
    """The DICOM commands a modality may be allowed."""
    return tuple(_definition("modality")["properties"]["allow"]["items"]["enum"])


LIST_KINDS = ("users", "modalities", "peers", "networks")


# Answers that are the site's to give, with no hardened choice to advise: where files are, ports
# and names, the release. A default there ("8042", an empty server name) is not advice.
SITE_VALUES = DEPLOYMENT | {"orthanc_version", "service.config_dir"}


def _situational(question_id: str, answers: dict):
    """The hardened choice where it depends on other answers (None: the schema's default)."""
    if question_id == "https.mode" and answers["network"]["remote_access"]:
        return "reverse-proxy"  # clients of other machines: TLS, by nginx (Debian's own HTTPS crashes)
    return None


def _choice(question: Question, answers: dict | None):
    """The hardened value for this answer in this situation, or None when there is none to advise."""
    if question.id in SITE_VALUES:
        return None
    default = (_situational(question.id, answers) if answers else None) or get(_defaults(), question.id)
    return None if default == "" else default


def hardened(question: Question, answers: dict | None = None) -> str | None:
    """The hardened choice for the situation the answers describe (the schema's default when no
    answer changes it), said as the admin reads it; None when there is none to say."""
    default = _choice(question, answers)
    if question.kind in LIST_KINDS and not default:
        return None if question.id in SITE_VALUES else "none: list only what is needed"
    return None if default is None else value(question, default)


def differs(question: Question, answer, answers: dict | None = None) -> bool:
    """A setting away from its hardened choice (lists are the admin's own: never flagged)."""
    default = _choice(question, answers)
    return question.kind not in LIST_KINDS and default is not None and answer != default


def value(question: Question, answer) -> str:
    if isinstance(answer, bool):
        return "on" if answer else "off"
    if isinstance(answer, list):
        return ", ".join(_item_name(item) for item in answer) if answer else "none"
    return str(answer) if answer != "" else "(empty)"


def _item_name(item) -> str:
    return item["name"] if isinstance(item, dict) else str(item)


def password_mode(spec) -> str:
    if isinstance(spec, str):
        return "type"
    return next((mode for mode in PASSWORD_MODES if mode in spec), "generate")


def password(spec) -> str:
    """How a password is obtained, never the password itself."""
    mode = password_mode(spec)
    if mode == "env":
        return f"${spec['env']}"
    return {"generate": "generated", "type": "typed", "keep": "kept"}[mode]


def password_spec(mode: str, text: str):
    """The profile's password value for a mode and the text typed beside it."""
    if mode == "type":
        return text
    if mode == "env":
        return {"env": text}
    return {mode: True}


def networks(items: list[str]) -> str:
    return ", ".join(items) if items else "any"


def destination(origin) -> str:
    """Which folder a way to start writes, said before anything else: on the server itself the
    first choice edits the live configuration (in place), the others write a new folder."""
    out = Path(origin.out_dir).absolute()
    config = getattr(origin.config, "config", None)
    if config is not None and _same(out, Path(config.folder)):
        return f"Will write: {out}, the configuration Orthanc reads, in place (a backup beside each file changed)"
    return f"Will write: {out}, a folder of its own (nothing else on this host changes)"


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def stores_offered(answers: dict) -> bool:
    """Whether a modality's kinds to store are asked: from Orthanc 1.13.0 (before, the callback
    stores what it refuses or drops an image while saying Success: the answer is only refused)."""
    try:
        return versions.parse(answers["orthanc_version"]) >= FILTER_SINCE
    except (KeyError, TypeError, ValueError):
        return True  # a release not given yet: its check says so
