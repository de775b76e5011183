"""Two writers on one configuration folder: two `apply --config` at once, or the wizard's write
racing an apply. One waits for the other or fails clearly; what is left is always what one run,
or one run after the other, would have written alone; the lock dies with its holder.

The runs edit a copy of Debian's folder with different passwords and find limits, so that a
mix of two runs' files would show.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.unit.conftest import snapshot
from wizard import workflow
from wizard.errors import BadInput, StaleInput
from wizard.orthanc import replace

DEBIAN = Path(__file__).resolve().parents[1] / "data" / "configs" / "debian-1.10.1"
ENV = {**os.environ, "OH_RACE_A": "Race-password-AAAA", "OH_RACE_B": "Race-password-BBBB"}
REFUSED = ("changed on disk since orthanc-harden", "another orthanc-harden run")
TRIALS = 5


def write_profile(root: Path, name: str, limit: int) -> Path:
    path = root / f"{name}.json"
    path.write_text(json.dumps({"extends": "localhost", "limits": {"find_results": limit},
                                "authentication": {"users": [{"name": "admin", "role": "admin",
                                                              "password": {"env": f"OH_RACE_{name}"}}]}}))
    return path


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(DEBIAN, folder)
    (folder / "README.md").unlink()
    return folder


def configuration(folder: Path) -> dict[str, bytes]:
    """The files a run leaves, backups aside."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and ".orthanc-harden-" not in p.name}


def apply(folder: Path, profile: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "wizard", "apply", "--preset", str(profile), "--config", str(folder)],
                            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr
    assert process.returncode in (0, 2), stderr
    if process.returncode == 2:
        assert any(reason in stderr for reason in REFUSED), stderr
    return process.returncode, stderr


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    """The folder, two profiles, and what each run leaves, alone or after the other (the same:
    the later run sets every answer the earlier one wrote). The tests share the folder's path
    (the checklist names it) and start from a fresh copy each."""
    tmp_path = tmp_path_factory.mktemp("race")
    folder = tmp_path / "orthanc"
    profiles = {"A": write_profile(tmp_path, "A", 50), "B": write_profile(tmp_path, "B", 70)}
    alone = {}
    for order in ("A", "B", "AB", "BA"):
        fresh(folder)
        for name in order:
            assert finished(apply(folder, profiles[name]))[0] == 0
        alone[order] = configuration(folder)
    assert alone["A"] != alone["B"] and alone["AB"] == alone.pop("B") and alone["BA"] == alone.pop("A")
    return folder, profiles, {"A": alone["BA"], "B": alone["AB"]}


def one_of(folder: Path, alone: dict) -> str:
    """Which run's files the folder holds; fails on a mix."""
    left = configuration(folder)
    found = [name for name, files in alone.items() if files == left]
    assert found, "the folder holds a mix of two runs' files"
    for backup in folder.glob("*.orthanc-harden-*.bak"):  # a backup is a whole earlier version
        original = backup.name.split(".orthanc-harden-", 1)[0]
        earlier = [files.get(original) for files in (configuration(DEBIAN), *alone.values())]
        assert backup.read_bytes() in earlier, backup.name
    return found[0]


def test_two_applies_started_together_leave_what_one_run_or_one_after_the_other_writes(scene):
    folder, profiles, alone = scene
    for _ in range(TRIALS):
        fresh(folder)
        first, second = apply(folder, profiles["A"]), apply(folder, profiles["B"])
        codes = finished(first)[0], finished(second)[0]
        assert 0 in codes
        held = one_of(folder, alone)
        if 2 in codes:  # the one refused wrote nothing: the folder holds the other's files
            assert held == ("A" if codes == (0, 2) else "B"), (codes, held)


def test_the_wizards_write_racing_an_apply_leaves_one_runs_files(scene, monkeypatch):
    folder, profiles, alone = scene
    monkeypatch.setenv("OH_RACE_B", ENV["OH_RACE_B"])
    rng = random.Random()
    for _ in range(TRIALS):
        fresh(folder)
        # What the wizard does: read the folder, answer, review, then write.
        answers, imported, _ = workflow.starting_answers(str(profiles["B"]), folder, lenient=True)
        prepared = workflow.prepare(answers, str(profiles["B"]), folder, config=imported)
        other = apply(folder, profiles["A"])
        time.sleep(rng.uniform(0.1, 0.5))  # the wizard's "write" pressed while apply runs
        try:
            prepared.write()
            wizard = 0
        except StaleInput:
            wizard = 2
        code, _ = finished(other)
        assert 0 in (wizard, code)
        held = one_of(folder, alone)
        if 2 in (wizard, code):
            assert held == ("B" if wizard == 0 else "A"), (wizard, code, held)


def planned(folder: Path, profile: Path) -> workflow.Prepared:
    answers, imported, _ = workflow.starting_answers(str(profile), folder)
    return workflow.prepare(answers, str(profile), folder, config=imported)


def test_a_writer_that_checked_the_files_before_another_wrote_waits_then_refuses(scene, monkeypatch):
    # The race a comparison alone cannot close: both compare the files (unchanged yet), then both
    # write. Here A is held just before its first write, after its comparison; B comes then.
    folder, profiles, alone = scene
    fresh(folder)
    monkeypatch.setenv("OH_RACE_A", ENV["OH_RACE_A"])
    monkeypatch.setenv("OH_RACE_B", ENV["OH_RACE_B"])
    first, second = planned(folder, profiles["A"]), planned(folder, profiles["B"])
    paused, resume, results = threading.Event(), threading.Event(), {}
    real_write = replace.write_atomic

    def write_atomic(*args, **kwargs):
        if threading.current_thread().name == "A" and not paused.is_set():
            paused.set()
            resume.wait(10)
        return real_write(*args, **kwargs)

    def write(prepared):
        try:
            prepared.write()
            results[threading.current_thread().name] = "written"
        except StaleInput:
            results[threading.current_thread().name] = "refused"

    monkeypatch.setattr(replace, "write_atomic", write_atomic)
    a, b = threading.Thread(target=write, args=(first,), name="A"), threading.Thread(target=write, args=(second,), name="B")
    a.start()
    assert paused.wait(10)
    b.start()
    b.join(1.0)
    assert b.is_alive(), "B wrote while A was writing the same folder"
    resume.set()
    a.join(10)
    b.join(10)
    assert results == {"A": "written", "B": "refused"}
    assert one_of(folder, alone) == "A"


def test_an_apply_waits_while_another_run_writes_the_folder_then_writes(scene):
    folder, profiles, alone = scene
    fresh(folder)
    old = configuration(folder)
    with replace.locked(folder):
        process = apply(folder, profiles["A"])
        time.sleep(2.0)  # far longer than a whole run: it is waiting
        assert process.poll() is None
        assert configuration(folder) == old
    assert finished(process)[0] == 0
    assert one_of(folder, alone) == "A"


def test_a_run_gives_up_clearly_when_the_folder_stays_held_and_writes_nothing(scene, monkeypatch):
    folder, profiles, _ = scene
    fresh(folder)
    monkeypatch.setenv("OH_RACE_A", ENV["OH_RACE_A"])
    monkeypatch.setattr(replace, "LOCK_WAIT", 0.3)
    prepared = planned(folder, profiles["A"])
    before = snapshot(folder)
    with replace.locked(folder), pytest.raises(BadInput) as refused:
        prepared.write()
    assert str(refused.value) == (f"{folder}: $: another orthanc-harden run has been writing this folder for 0 s: "
                                  "nothing was written; run again once it is done")
    assert snapshot(folder) == before


def test_the_lock_dies_with_a_holder_killed_by_sigkill(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path\n"
                               "from wizard.orthanc import replace\n"
                               "with replace.locked(Path(sys.argv[1])):\n"
                               "    print('held', flush=True); time.sleep(60)", str(tmp_path)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    with pytest.raises(BadInput):
        with replace.locked(tmp_path, wait=0.2):
            pass
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    start = time.monotonic()
    with replace.locked(tmp_path, wait=5):
        assert time.monotonic() - start < 0.5
    assert list(tmp_path.iterdir()) == []  # no lock file left behind


def test_two_writers_in_one_process_exclude_each_other_too(tmp_path):
    # flock belongs to each opening of the folder: the wizard's threads are kept apart as well.
    inside, overlaps = [], []

    def writer():
        with replace.locked(tmp_path):
            inside.append(1)
            overlaps.append(len(inside))
            time.sleep(0.05)
            inside.pop()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == [1, 1, 1, 1]
