"""Shipped presets made runnable on a real Orthanc release, for test_presets: free ports, the test's
modalities (a preset holds none), a self-signed certificate for DICOM TLS, and DCMTK to probe them."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from wizard.profile import effective

from .orthanc_releases import Release
from .orthanc_server import OrthancProcess, free_port, running_orthanc
from .profiles import (
    User,
    apply,
    find_keeper,
    load_preset,
    make_certificate,
    preset_names,
    send,
    users_of,
    with_ports,
    write_profile,
)

PRESETS = preset_names()


def dicom_tls_enabled(profile: dict) -> bool:
    return bool(profile.get("dicom", {}).get("tls", {}).get("enabled", False))


def dicom_enabled(profile: dict) -> bool:
    return bool(profile.get("dicom", {}).get("enabled", True))


def execute_lua(profile: dict) -> bool:
    return bool(profile.get("scripting", {}).get("execute_lua", False))


def search_and_zips(profile: dict) -> bool:
    """Whether roles below admin may POST searches and zips (default: where Orthanc Explorer is on)."""
    return effective(profile)["authentication"]["search_and_zips"]


TLS_PRESETS = [name for name in PRESETS if dicom_tls_enabled(load_preset(name))]
NO_DICOM_PRESETS = [name for name in PRESETS if not dicom_enabled(load_preset(name))]
DICOM_PRESETS = [name for name in PRESETS if dicom_enabled(load_preset(name))]
# The site's inventory a preset never holds: two modalities on this host, to probe per AET.
MODALITIES = [
    {"name": "scanner", "aet": "SCANNERSCU", "host": "127.0.0.1", "port": 104, "allow": ["echo", "store"]},
    {"name": "pinger", "aet": "PINGERSCU", "host": "127.0.0.1", "port": 104, "allow": ["echo"]},
]


@dataclass
class PresetRun:
    """A preset applied for a release, and that release's Orthanc running on the output."""

    name: str
    release: Release
    profile: dict
    out_dir: Path
    orthanc: OrthancProcess
    users: list[User]
    tls_files: tuple[Path, Path] | None

    @property
    def config(self) -> dict:
        return json.loads((self.out_dir / "orthanc.json").read_text())

    def dicom(self, tool: str, calling_aet: str, called_aet: str, *files: Path) -> str:
        """What echoscu or storescu printed, over DICOM TLS with the test's certificate if the preset has it."""
        tls = []
        if self.tls_files:
            cert, key = self.tls_files
            tls = ["+tls", str(key), str(cert), "+cf", str(cert)]
        done = dcmtk(tool, *tls, "-aet", calling_aet, "-aec", called_aet, "127.0.0.1",
                     str(self.orthanc.dicom_port), *map(str, files))
        return done.stdout + done.stderr

    def instance_count(self) -> int:
        response = send(self.orthanc.url, "GET", "/instances", **find_keeper(self.users).credentials)
        assert response.status == 200, response
        return len(json.loads(response.body))


def runnable_profile(name: str, folder: Path, release: Release) -> tuple[dict, list[str], tuple[Path, Path] | None]:
    """The preset with free ports, made to run on the release: (profile, apply args, TLS files).

    It is applied with --orthanc-version of that release; one with DICOM gets the test's two
    modalities, and one with DICOM TLS a self-signed certificate (trusted by itself) instead of
    its /etc paths.
    """
    profile = with_ports(load_preset(name), free_port(), free_port())
    args = ["--orthanc-version", release.version]
    if dicom_enabled(profile):
        profile["dicom"]["modalities"] = MODALITIES
    tls_files = None
    if dicom_tls_enabled(profile):
        cert, key = make_certificate(folder / "tls", "dicom")
        profile["dicom"]["tls"].update(certificate=str(cert), private_key=str(key),
                                       trusted_certificates=str(cert))
        tls_files = (cert, key)
    return profile, args, tls_files


def dcmtk(tool: str, *args: str) -> subprocess.CompletedProcess:
    """The host's DCMTK tool (also for a chrooted Orthanc: the loopback is shared), verbose, with bounded waits."""
    binary = shutil.which(tool)
    if binary is None:
        raise FileNotFoundError(f"{tool} not found on PATH: install DCMTK (Debian package dcmtk)")
    return subprocess.run([binary, "-v", "-to", "10", "-ta", "10", "-td", "10", *args],
                          check=False, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)


@contextmanager
def preset_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str, Release], PresetRun]]:
    """get(name, release): that preset's Orthanc of that release, started at the first call,
    stopped when the block ends."""
    runs: dict[tuple[str, Release], PresetRun] = {}
    with ExitStack() as stack:
        def get(name: str, release: Release) -> PresetRun:
            if (name, release) not in runs:
                folder = tmp_path_factory.mktemp(f"preset-{name}-{release}")
                profile, args, tls_files = runnable_profile(name, folder, release)
                out_dir = folder / "out"
                apply(write_profile(folder / "profile.jsonc", profile), out_dir, *args)
                orthanc = stack.enter_context(running_orthanc(out_dir, folder, release=release))
                runs[name, release] = PresetRun(name, release, profile, out_dir, orthanc,
                                                users_of(profile, out_dir), tls_files)
            return runs[name, release]
        yield get
