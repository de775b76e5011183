"""Start the real Orthanc on a copy of a configuration folder, with throw-away storage."""

from __future__ import annotations

import json
import random
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from wizard.verify.server import accepts, http_answers  # one readiness check, the product's

from .orthanc_releases import HOST, Release, inside, move_host_paths_inside

START_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0
LOG_TAIL_LINES = 40

# Orthanc's jsoncpp accepts comments and trailing commas, the json module does not. Comments
# go first (a comma may be followed by one), then the commas; strings are kept as they are.
_COMMENTS = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/', re.S)
_TRAILING_COMMAS = re.compile(r'("(?:\\.|[^"\\])*")|,(?=\s*[}\]])', re.S)


class OrthancStartError(RuntimeError):
    """Orthanc exited or did not answer in time; the message ends with its log."""


@dataclass
class OrthancProcess:
    """A running Orthanc: its ports, its process and its log."""

    process: subprocess.Popen
    http_port: int
    dicom_port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


# Ports handed out by free_port() in this test session, never given twice.
_GIVEN: set[int] = set()


def ephemeral_range() -> tuple[int, int]:
    """The ports Linux picks for outgoing connections (and for bind to port 0)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now, outside the ephemeral range and never given before.

    A port from bind(("127.0.0.1", 0)) comes from the ephemeral range: between the moment it is
    released and the moment Orthanc binds it, any outgoing connection of the tests may take it
    as its local port (CI once failed that way: "port is privileged or already in use"). Ports
    below the ephemeral range are only ever taken by servers, and the set keeps two calls from
    returning the same port.
    """
    low, high = ephemeral_range()
    pool = range(10000, low) if low > 11000 else range(high + 1, 65536)
    start = random.randrange(len(pool))
    for offset in range(len(pool)):
        port = pool[(start + offset) % len(pool)]
        if port in _GIVEN:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _GIVEN.add(port)
        return port
    raise RuntimeError(f"no free TCP port on 127.0.0.1 in {pool.start}-{pool.stop - 1}")


def read_settings(folder: Path) -> dict:
    """The top-level keys of every *.json in folder, merged the way Orthanc merges them."""
    settings: dict = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json" and p.is_file()):
        text = _COMMENTS.sub(lambda m: m.group(1) or "", path.read_text())
        text = _TRAILING_COMMAS.sub(lambda m: m.group(1) or "", text)
        try:
            settings.update(json.loads(text))
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}: cannot read the ports from it: {error}") from None
    return settings


def _redirect_storage(config: Path, storage: dict[str, str]) -> None:
    """Point the storage keys at temporary folders: in the file that sets each one (a second
    definition would stop Orthanc), else in an extra file zz-test-storage.json."""
    left = dict(storage)
    for path in sorted(p for p in config.iterdir() if p.suffix.lower() == ".json" and p.is_file()):
        text = original = path.read_bytes().decode("utf-8-sig")
        for key in list(left):
            pattern = re.compile(rf'^(\s*"{key}"\s*:\s*)"[^"\n]*"', re.MULTILINE)
            text, count = pattern.subn(lambda m: m[1] + json.dumps(left[key]), text)
            if count:
                del left[key]
        if text != original:
            path.write_bytes(text.encode("utf-8"))
    if left:
        (config / "zz-test-storage.json").write_text(json.dumps(left, indent=2))


@contextmanager
def running_orthanc(config_dir: Path, tmp_path: Path, graceful: bool = True,
                    release: Release = HOST) -> Iterator[OrthancProcess]:
    """Run Orthanc `release` (default: this host's 1.10.1) on a copy of config_dir until the block ends.

    A chrooted release gets its copy, and its storage, in a folder inside its chroot (removed at
    the end), with the host paths the configuration names copied in too; its log stays in tmp_path.
    graceful=False kills it at the end instead of the 3 s of an orderly stop: for tests that
    only need to know it started (its storage is thrown away anyway).
    """
    log_dir = Path(tempfile.mkdtemp(prefix=f"orthanc-{release}-", dir=tmp_path))
    with _run_folder(release, log_dir) as run_dir:
        config = run_dir / "config"
        shutil.copytree(config_dir, config)
        if release.chrooted:
            move_host_paths_inside(config, release.root(), run_dir / "files")
        seen = (lambda path: inside(release.root(), path)) if release.chrooted else (lambda path: path)
        _redirect_storage(config, {"StorageDirectory": str(seen(run_dir / "storage")),
                                   "IndexDirectory": str(seen(run_dir / "index"))})
        settings = read_settings(config)
        log_path = log_dir / "orthanc.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(release.command(config), stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, cwd=run_dir)
        ports = settings.get("HttpPort", 8042), settings.get("DicomPort", 4242)
        orthanc = OrthancProcess(process, *ports, log_path)
        try:
            wait_until_ready(orthanc, http=settings.get("HttpServerEnabled", True),
                             tls=settings.get("SslEnabled", False))
            yield orthanc
        finally:
            if graceful:
                _stop(process)
            else:
                kill(process)


@contextmanager
def _run_folder(release: Release, log_dir: Path) -> Iterator[Path]:
    """log_dir itself for the host's Orthanc; a fresh folder inside the chroot, removed afterwards."""
    if not release.chrooted:
        yield log_dir
        return
    parent = release.root() / "tmp" / "orthanc-harden-tests"
    parent.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def wait_until_ready(orthanc: OrthancProcess, http: bool, tls: bool = False) -> None:
    """Return once Orthanc answers; raise OrthancStartError (with its log) if it exits or stalls.

    With tls (native HTTPS), once its HTTPS port accepts a TCP connection: no TLS request is
    made, which would kill a Debian build (tests/integration/test_releases_https.py)."""
    # Orthanc opens its DICOM port before its HTTP port, so an HTTP answer means both are up.
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if orthanc.process.poll() is not None:
            raise OrthancStartError(f"Orthanc exited with status {orthanc.process.returncode}:\n"
                                    + orthanc.log_tail())
        if not http:
            ready = accepts(orthanc.dicom_port)
        else:
            ready = accepts(orthanc.http_port) if tls else http_answers(orthanc.http_port)
        if ready:
            return
        time.sleep(0.05)
    raise OrthancStartError(f"Orthanc did not answer within {START_TIMEOUT:.0f} s:\n" + orthanc.log_tail())


def kill(process: subprocess.Popen) -> None:
    """Stop at once, for throw-away runs: no orderly 3 s shutdown."""
    process.kill()
    process.wait()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
