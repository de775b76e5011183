"""Helpers to build the real wizard from plain data, and to compare it with the headless path."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from pathlib import Path

import pytest

from wizard import cli
from wizard.commands.interactive import starts
from wizard.secrets import HANDED_FILE
from wizard.tui.app import make_app


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests (the pilot tests) in a fresh event loop; no plugin needed."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        names = pyfuncitem._fixtureinfo.argnames
        asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
        return True
    return None


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run in an empty folder, so that relative output paths (shown on screen) are stable."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def build_app(preset=None, config=None, out="out", debian=None):
    origins, chosen = starts(preset, config, out, debian=debian)
    return make_app(origins, chosen)


def editing_flow(config: Path):
    """The wizard's state machine (no screen) started on editing config, as --config does."""
    from wizard.flow import Flow

    origins, chosen = starts(None, str(config), None, debian=None)
    flow = Flow(origins)
    flow.begin(flow.origin_by_key(chosen))
    return flow, chosen


def files_of(folder: Path) -> dict[str, bytes]:
    """The files a run wrote, but the wizard's hand-over of the passwords it generated (apply hands
    them over on its terminal or in --secrets-file instead: tests/tui/test_handed_passwords.py)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != HANDED_FILE}


def apply_like(saved: Path, written: Path, other: Path) -> dict[str, bytes]:
    """What `orthanc-harden apply --preset SAVED --out OTHER` writes for the same answers, with
    the wizard's generated passwords copied in place first (apply keeps existing passwords, in
    an output of an earlier run: orthanc.json with the answers file beside it). The checklist names
    the folder it was written to, absolute: OTHER's name is put back to WRITTEN's there."""
    other.mkdir(parents=True, exist_ok=True)
    if (written / "orthanc.json").exists():
        for name in ("orthanc.json", "orthanc-harden.jsonc"):
            shutil.copy2(written / name, other / name)
    assert cli.main(["apply", "--preset", str(saved), "--out", str(other)]) == 0
    files = files_of(other)
    if "CHECKLIST.md" in files:
        files["CHECKLIST.md"] = files["CHECKLIST.md"].replace(str(other.absolute()).encode(), str(written.absolute()).encode())
    return files
