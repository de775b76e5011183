"""The orthancteam/orthanc image's generator facts (data/builder.json), read once.

The names lists, defaults, plugin definitions and log texts are the image's own data: kept as
data so that a new image release is a data change, not a code change."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files


@cache
def facts() -> dict:
    return json.loads(files("wizard.sources.compose").joinpath("data/builder.json").read_text("utf-8"))


def message(key: str, **fields) -> str:
    """One line the generator logs, with its fields filled in."""
    return facts()["messages"][key].format(**fields)
