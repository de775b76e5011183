"""Files shipped inside the package: the schemas and the presets."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def data_dir(name: str) -> Path:
    return Path(str(files("wizard") / "data" / name))


def schema_path(name: str) -> Path:
    return data_dir("schemas") / name


def preset_names() -> list[str]:
    return sorted(p.stem for p in data_dir("presets").glob("*.json"))


def preset_path(name: str) -> Path:
    return data_dir("presets") / f"{name}.json"
