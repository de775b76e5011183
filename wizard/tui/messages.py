"""Messages the widgets post up to their screen, named for what happened."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class Answered(Message):
    """A question got a value (a switch flipped, a choice made, a list edited)."""

    question_id: str
    value: Any


@dataclass
class Typed(Message):
    """The text of an input changed; the flow parses it (it may be refused, and kept as typed)."""

    question_id: str
    text: str


@dataclass
class Picked(Message):
    """A step was chosen in the sidebar."""

    step: str


@dataclass
class Started(Message):
    """A way to start was chosen on the start screen."""

    origin_key: str


@dataclass
class Provided(Message):
    """The value of an environment variable a password reads, typed for this run (it is not set)."""

    name: str
    value: str
