"""SIGKILL at any moment of an in-place `apply --config` on Debian's folder loses nothing: each file
is its old or its new version byte for byte, no key is defined in two files, no leftover is read
by Orthanc (nothing new ends in .json), a backup is a whole copy of the old file, and the real
Orthanc starts on what is left.

The folder is tests/data/configs/debian-1.10.1 (Debian's /etc/orthanc) with free ports instead of
8042 and 4242. Kill moments are drawn over the run, most of them around its writes (measured
first). The default run kills a few runs; `pytest -m long` a hundred.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import json5
import pytest

from .orthanc_server import free_port, running_orthanc

DEBIAN = Path(__file__).resolve().parents[1] / "data" / "configs" / "debian-1.10.1"
PASSWORD = "Crash-safety-pw-0001"
PROFILE = {"extends": "localhost",
           "authentication": {"users": [{"name": "admin", "role": "admin", "password": {"env": "OH_CRASH_PASSWORD"}}]}}
ENV = {**os.environ, "OH_CRASH_PASSWORD": PASSWORD}
BATCH = 20  # kills between two measures of when runs write


def old_folder(folder: Path, ports: tuple[int, int]) -> Path:
    """Debian's files, the ports made free ones (Debian's own Orthanc may hold 8042 and 4242)."""
    shutil.copytree(DEBIAN, folder)
    (folder / "README.md").unlink()
    main = folder / "orthanc.json"
    text = main.read_text("utf-8")
    text = text.replace('"HttpPort" : 8042', f'"HttpPort" : {ports[0]}').replace('"DicomPort" : 4242',
                                                                              f'"DicomPort" : {ports[1]}')
    main.write_text(text, "utf-8")
    return folder


def apply(folder: Path, profile: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "wizard", "apply", "--preset", str(profile), "--config", str(folder)],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


class Scene:
    """The old folder, what a whole run makes of it, and when a run writes."""

    def __init__(self, root: Path):
        self.root, self.folder = root, root / "orthanc"
        self.profile = root / "crash.json"
        self.profile.write_text(json.dumps(PROFILE))
        self.ports = free_port(), free_port()
        self.old = files(old_folder(self.folder, self.ports))
        self.calibrate()
        self.new = {name: data for name, data in files(self.folder).items() if ".orthanc-harden-" not in name}
        assert self.new != self.old and set(self.old) <= set(self.new)

    def calibrate(self) -> None:
        """When runs write, now (a busy machine makes them later): leaves the folder as a run does."""
        self.first_write, self.last_write = self._whole_run()

    def _whole_run(self) -> tuple[float, float]:
        """Run to the end a few times, watching the folder: (first write, last write) in seconds,
        the earliest and the latest seen (start-up times vary from run to run)."""
        firsts, lasts = [], []
        for _ in range(3):
            self.reset()
            start, count, seen = time.monotonic(), len(self.old), []
            process = apply(self.folder, self.profile)
            while process.poll() is None:
                now = len(os.listdir(self.folder))
                if now != count:
                    seen.append(time.monotonic() - start)
                    count = now
                time.sleep(0.0005)
            assert process.returncode == 0 and seen, "the run failed or created no file"
            firsts.append(seen[0])
            lasts.append(seen[-1])
        return min(firsts), max(lasts)

    def reset(self) -> None:
        shutil.rmtree(self.folder)
        old_folder(self.folder, self.ports)

    def kill_at(self, delay: float) -> None:
        process = apply(self.folder, self.profile)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def moments(self, rng: random.Random, count: int) -> list[float]:
        """Three kills in four around the writes, the rest anywhere in the run (or just after it)."""
        around = (max(0.0, self.first_write - 0.005), self.last_write + 0.005)
        anywhere = (0.0, self.last_write * 1.3)
        return [rng.uniform(*(around if rng.random() < 0.75 else anywhere)) for _ in range(count)]


def judge(scene: Scene) -> str:
    """Check what a killed run left: 'old' (nothing written yet), 'new' (all written) or 'mixed'."""
    left = files(scene.folder)
    versions = {}
    for name, data in left.items():
        if name.endswith(".bak"):
            original = name.split(".orthanc-harden-", 1)[0]
            assert data == scene.old[original], f"{name} is not a whole copy of the old {original}"
        elif name.startswith(".") and name.endswith(".tmp"):
            continue  # a temporary file of an interrupted write: never *.json, Orthanc ignores it
        else:
            assert data in (scene.old.get(name), scene.new.get(name)), f"{name} is neither its old nor its new version"
            if scene.old.get(name) != scene.new.get(name):  # a file the run leaves as it is tells nothing
                versions[name] = "old" if data == scene.old.get(name) else "new"
    assert set(scene.old) <= set(left), "a configuration file disappeared"
    assert not [n for n in left if n.lower().endswith(".json") and n not in scene.new], "a new *.json appeared"
    holders = Counter(key for name in left if name.endswith(".json") for key in json5.loads(left[name].decode()))
    assert not [key for key, count in holders.items() if count > 1], f"keys defined twice: {holders}"
    changed = {name for name in scene.new if scene.old.get(name) != scene.new[name]}
    if set(versions.values()) <= {"old"} and not set(versions) - set(scene.old):
        return "old"
    return "new" if set(versions) == changed and set(versions.values()) == {"new"} else "mixed"


def starts(scene: Scene, tmp: Path) -> None:
    with running_orthanc(scene.folder, tmp, graceful=False) as orthanc:
        assert orthanc.process.poll() is None


def trials(tmp_path: Path, count: int, start_every: int) -> Counter:
    scene = Scene(tmp_path)
    rng = random.Random(int(os.environ.get("ORTHANC_HARDEN_SEED") or random.SystemRandom().randrange(2**32)))
    outcomes: Counter = Counter()
    for batch in range(0, count, BATCH):
        if batch:
            scene.calibrate()
        for index, delay in enumerate(scene.moments(rng, min(BATCH, count - batch)), batch):
            scene.reset()
            scene.kill_at(delay)
            outcomes[judge(scene)] += 1
            if index % start_every == 0:
                starts(scene, tmp_path)
    return outcomes


def test_a_few_runs_killed_at_random_moments_leave_each_file_whole_and_orthanc_starting(tmp_path):
    outcomes = trials(tmp_path, 4, start_every=1)
    assert sum(outcomes.values()) == 4


@pytest.mark.long
def test_a_hundred_runs_killed_at_random_moments_leave_each_file_whole_and_orthanc_starting(tmp_path):
    outcomes = trials(tmp_path, 100, start_every=1)
    print(dict(outcomes))
    # The kills must have hit the writes, not only the start-up before them or the end after them.
    assert outcomes["mixed"] and outcomes["old"] and outcomes["new"], outcomes
