"""Orthanc release numbers, compared as tuples of integers."""

from __future__ import annotations

Version = tuple[int, int, int]


def parse(text: str) -> Version:
    major, minor, patch = (int(part) for part in text.split("."))
    return (major, minor, patch)


def show(version: Version) -> str:
    return ".".join(str(part) for part in version)
