"""scripts/run.sh installs only when .venv is missing or pyproject.toml changed: a second start
goes straight to the tool. Run on a copy of the repository with a .venv of its own."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def start(copy: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(copy / "scripts" / "run.sh"), "--version"], capture_output=True, text=True,
                          timeout=600, check=False, stdin=subprocess.DEVNULL)


def installed(copy: Path) -> float:
    """When pip last installed the tool into the copy's .venv (it writes the dist-info anew)."""
    (info,) = (copy / ".venv").glob("lib/python*/site-packages/orthanc_harden-*.dist-info")
    return info.stat().st_mtime_ns


def test_run_sh_installs_on_the_first_start_and_when_pyproject_changes_only(tmp_path):
    copy = tmp_path / "copy"
    archive = subprocess.run(["git", "-C", str(REPOSITORY), "archive", "HEAD"], capture_output=True, check=True)
    copy.mkdir()
    subprocess.run(["tar", "-x", "-C", str(copy)], input=archive.stdout, check=True)
    for name in ("scripts/run.sh", "pyproject.toml"):  # this work tree's, committed or not
        shutil.copy2(REPOSITORY / name, copy / name)
    first = start(copy)
    assert first.returncode == 0 and first.stdout.startswith("orthanc-harden "), first.stderr
    assert first.stderr.startswith(f"installing orthanc-harden into {copy / '.venv'}")  # not ~20 s of nothing
    after_first = installed(copy)
    second = start(copy)
    assert second.returncode == 0 and installed(copy) == after_first  # no pip on a second start
    assert "installing" not in second.stderr
    (copy / "pyproject.toml").touch()  # the same text: still nothing to install
    assert start(copy).returncode == 0 and installed(copy) == after_first
    with open(copy / "pyproject.toml", "a") as pyproject:
        pyproject.write("# changed\n")
    assert start(copy).returncode == 0 and installed(copy) > after_first
