"""`orthanc-harden presets`: the shipped presets, one line each."""

from __future__ import annotations

from wizard import jsonc, resources


def run() -> int:
    names = resources.preset_names()
    width = max(map(len, names), default=0)
    for name in names:
        description = jsonc.load(resources.preset_path(name)).get("description", "")
        print(f"{name:<{width}}  {description}")
    return 0
