"""A compose project as compose sees it before any service: its file, folder, `.env` and the
environment its `${VAR}`s are resolved from (the process environment wins over `.env`)."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from wizard.errors import BadInput, Problem
from wizard.sources.compose.interpolation import InterpolationError, Result, substitute


@dataclass
class Project:
    file: Path
    text: str
    document: Any
    environ: dict[str, str]  # the process environment, then `.env` where the process has nothing
    dotenv: dict[str, str] = field(default_factory=dict)
    dotenv_lines: dict[str, int] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.file.parent

    def refuse(self, where: str, message: str) -> BadInput:
        return BadInput(Problem(str(self.file), where, message))

    def interpolate(self, text: str, where: str) -> Result:
        """`${VAR}` forms resolved; a refusal names the compose file and `where`."""
        try:
            return substitute(text, self.environ.get)
        except InterpolationError as error:
            raise self.refuse(where, str(error)) from None

    def text_of(self, value, where: str) -> str | None:
        """A YAML scalar as compose turns it into text (None stays None), strings interpolated."""
        if isinstance(value, str):
            return self.interpolate(value, where).value
        return scalar_text(value)

    def path(self, text: str) -> Path:
        """A host path written in the compose file: `~` is the home folder, relative is to the file's folder."""
        if text.startswith("~"):
            text = self.environ.get("HOME", os.path.expanduser("~")) + text[1:]
        return Path(os.path.normpath(self.folder / text))


def scalar_text(value) -> str | None:
    """As compose-go prints a YAML scalar (Go's fmt): true, 8042, 1.5, 1e+06."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return _go_float(float(value))
    return str(value)


def _go_float(value: float) -> str:
    """Go's %v of a float64 (compose-go prints YAML numbers so): the shortest digits, plain from
    1e-4 up to 1e6, else with an exponent (1e+06)."""
    if math.isinf(value) or math.isnan(value):
        return "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    power = len(digits) + exponent - 1
    text = "".join(map(str, digits))
    if value == 0:
        return "-0" if sign else "0"
    if -4 <= power < 6:
        plain = format(Decimal(repr(value)).normalize(), "f")
        return plain.rstrip("0").rstrip(".") if "." in plain else plain
    body = text[0] + ("." + text[1:] if len(text) > 1 else "")
    return f"{'-' if sign else ''}{body}e{'+' if power >= 0 else '-'}{abs(power):02d}"


def environment(environ: Mapping[str, str] | None) -> dict[str, str]:
    return dict(os.environ if environ is None else environ)
