"""Helpers for running the command line in-process and snapshotting folders."""

from pathlib import Path

import pytest

from wizard import cli


@pytest.fixture
def run_cli(capsys):
    def run(*argv):
        code = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def snapshot(folder: Path) -> dict:
    """Every file below folder with its bytes and mode: what 'nothing changed' compares."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mode)
            for p in sorted(folder.rglob("*")) if p.is_file()}
