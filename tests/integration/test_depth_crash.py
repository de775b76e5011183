"""A reader allowed to search stops each Debian build with a JSON body nested N deep, and N is the
depth wizard/orthanc/depth.py gives OH-ROLE-001: measured again here on the real 1.10.1, 1.12.7
and 1.13.0, so that the finding's figures (and the finding itself) follow the builds.

Each crash costs a restart (about a second): the recorded depth and the one below it are tried
first (one restart when nothing changed), and only a build that moved is bisected, in at most
MAX_PROBES requests.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from contextlib import ExitStack
from pathlib import Path

from wizard import cli
from wizard.orthanc import depth

from .orthanc_releases import HOST, Release
from .orthanc_server import OrthancProcess, free_port, running_orthanc
from .profiles import User, apply_profile, send, users_of, with_ports

CRASH_TIMEOUT = 5.0
LOWEST, HIGHEST = 2, 4096  # the bisection's bounds: survived at LOWEST, crashes at HIGHEST (else no crash)
MAX_PROBES = 15  # 2 first guesses, HIGHEST itself, then log2(HIGHEST - LOWEST) halvings

PROFILE = {"network": {"remote_access": False}, "https": {"mode": "none"},
           "authentication": {"enabled": True, "search_and_zips": True,
                              "users": [{"name": "admin", "role": "admin"}, {"name": "reader", "role": "read-only"}]}}


def nested(levels: int) -> str:
    """A JSON body of `levels` nested arrays: 2 x levels bytes."""
    return "[" * levels + "]" * levels


class Prober:
    """The reader's POST /tools/find with a nested body, on an Orthanc restarted after each crash."""

    def __init__(self, out_dir: Path, tmp_path: Path, release: Release, reader: User):
        self.out_dir, self.tmp_path, self.release, self.reader = out_dir, tmp_path, release, reader
        self.stack: ExitStack | None = None
        self.orthanc: OrthancProcess | None = None
        self.probes: list[tuple[int, bool]] = []

    def crashes(self, levels: int) -> bool:
        """Whether a body nested `levels` deep stops Orthanc (SIGSEGV); any other end fails the test."""
        if self.orthanc is None:
            self.stack = ExitStack()
            self.orthanc = self.stack.enter_context(
                running_orthanc(self.out_dir, self.tmp_path, graceful=False, release=self.release))
        try:
            status = send(self.orthanc.url, "POST", "/tools/find", body=nested(levels), **self.reader.credentials).status
        except OSError:
            status = None
        crashed = self._ended(status)
        self.probes.append((levels, crashed))
        assert len(self.probes) <= MAX_PROBES, self.probes
        if crashed:
            self.close()
        else:
            assert status == 400, f"{levels} deep: Orthanc {self.release} answered {status}, not 400 (not JSON Orthanc takes)"
        return crashed

    def _ended(self, status: int | None) -> bool:
        process = self.orthanc.process
        try:
            code = process.wait(CRASH_TIMEOUT if status is None else 0.2)
        except subprocess.TimeoutExpired:
            return False
        assert code == -signal.SIGSEGV, f"Orthanc {self.release} ended with {code}:\n" + self.orthanc.log_tail()
        return True

    def close(self) -> None:
        if self.stack is not None:
            self.stack.close()
        self.stack, self.orthanc = None, None


def crash_depth(prober: Prober, recorded: int) -> int | None:
    """The least depth that stops Orthanc, or None when even HIGHEST does not."""
    if not prober.crashes(recorded - 1) and prober.crashes(recorded):
        return recorded
    low, high = LOWEST, HIGHEST
    for levels, crashed in prober.probes:  # what the two guesses taught
        low, high = (low, min(high, levels)) if crashed else (max(low, levels), high)
    if high == HIGHEST and not prober.crashes(HIGHEST):
        return None
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if prober.crashes(middle) else (middle, high)
    return high


def test_a_reader_stops_each_debian_build_with_a_json_body_nested_as_deep_as_oh_role_001_says(tmp_path, release):
    started = time.monotonic()
    profile = with_ports(PROFILE, free_port(), free_port())
    out_dir = apply_profile(profile, tmp_path / "apply", "--orthanc-version", release.version)
    reader = next(user for user in users_of(profile, out_dir) if user.name == "reader")
    prober = Prober(out_dir, tmp_path, release, reader)
    try:
        measured = crash_depth(prober, depth.JSON_DEPTH[release.version])
    finally:
        prober.close()
    assert measured == depth.JSON_DEPTH[release.version], (
        f"Debian's Orthanc {release} now stops at {measured} levels (None: not at all up to {HIGHEST}), "
        f"not {depth.JSON_DEPTH[release.version]}: update JSON_DEPTH in wizard/orthanc/depth.py (and OH-ROLE-001 "
        f"if it no longer crashes), the README and reference §8. Probes: {prober.probes}")
    assert len(prober.probes) == 2 and time.monotonic() - started < 60, prober.probes


def test_apply_and_audit_name_the_reader_who_can_stop_the_server_with_the_measured_depth(tmp_path, capsys):
    # On this host's Orthanc (Debian's package): audit knows the build from dpkg, apply from orthanc_build.
    profile = with_ports(PROFILE, free_port(), free_port())
    (tmp_path / "profile.json").write_text(json.dumps(profile))
    out_dir = tmp_path / "out"
    assert cli.main(["apply", "--preset", str(tmp_path / "profile.json"), "--out", str(out_dir)]) == 0
    said = capsys.readouterr()
    expected = f"reader, with a JSON body nested {depth.JSON_DEPTH[HOST.version]} deep on {HOST.version}"
    assert "OH-ROLE-001" in said.out + said.err and expected in said.out + said.err, said
    cli.main(["audit", str(out_dir), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    found = [f for f in report["findings"] if f["id"] == "OH-ROLE-001"]
    assert found and expected in found[0]["message"], report["findings"]


class Simulated:
    """A build that stops at `limit` levels (None: never), as the bisection sees it."""

    def __init__(self, limit: int | None):
        self.limit, self.probes = limit, []

    def crashes(self, levels: int) -> bool:
        crashed = self.limit is not None and levels >= self.limit
        self.probes.append((levels, crashed))
        return crashed


def test_the_bisection_finds_a_depth_that_moved_and_says_none_for_a_build_that_stopped_crashing():
    for limit in (3, 150, 187, 189, 202, 1000, 4096):
        simulated = Simulated(limit)
        assert crash_depth(simulated, 188) == limit
        assert len(simulated.probes) <= MAX_PROBES, (limit, simulated.probes)
    assert crash_depth(Simulated(None), 188) is None
