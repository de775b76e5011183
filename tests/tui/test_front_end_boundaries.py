"""The front ends know question kinds, never Orthanc's option names: the topics own those."""

from __future__ import annotations

import re
from pathlib import Path

import wizard.tui
from wizard.orthanc.options import OPTIONS

FRONT_END = Path(wizard.tui.__file__).parent


def test_no_orthanc_option_name_appears_in_the_front_ends():
    names = re.compile(r"\b(" + "|".join(map(re.escape, OPTIONS)) + r")\b")
    found = {path.name: names.findall(path.read_text("utf-8"))
             for path in sorted(FRONT_END.rglob("*")) if path.suffix in (".py", ".tcss")}
    assert {name: hits for name, hits in found.items() if hits} == {}
