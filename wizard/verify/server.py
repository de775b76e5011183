"""Start the real Orthanc on a staged copy of a configuration, wait until it answers, stop it."""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from wizard.errors import BadInput, Problem
from wizard.verify import staging

START_TIMEOUT = 30.0
LOG_TAIL_LINES = 15
INSTALL = ("install it (Debian, Ubuntu: apt-get install orthanc; elsewhere see "
           "https://orthanc.uclouvain.be/downloads), or name it with --orthanc BINARY")


@dataclass(frozen=True)
class Running:
    http_port: int
    dicom_port: int
    work: Path  # the temporary folder: configuration, storage, log, exports

    @property
    def log(self) -> Path:
        return self.work / "orthanc.log"


def binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BadInput(Problem(name, "$", f"no Orthanc to run: {INSTALL}"))
    return found


@contextmanager
def running(program: str, values: dict, folder: Path, ready: str) -> Iterator[Running]:
    """Orthanc on 127.0.0.1 with the configuration `values` (read from folder), on free ports
    and a temporary storage, until the block ends; then it is killed and the folder removed.
    ready: what answers once it has started, "http", "dicom" or "" (neither server is on)."""
    work = Path(tempfile.mkdtemp(prefix="orthanc-harden-verify-"))
    try:
        configured = {p for p in (values.get("HttpPort", 8042), values.get("DicomPort", 4242)) if isinstance(p, int)}
        http_port, dicom_port = staging.free_ports(2, configured)
        config = work / "config"
        config.mkdir(mode=0o700)
        (config / "orthanc.json").write_text(staging.render(staging.staged(values, folder, http_port, dicom_port, work)))
        started = Running(http_port, dicom_port, work)
        with open(started.log, "wb") as log:
            process = subprocess.Popen([program, str(config)], stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, cwd=work)
        try:
            _wait(process, started, ready)
            yield started
        finally:
            process.kill()
            process.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _wait(process: subprocess.Popen, started: Running, ready: str) -> None:
    # Orthanc opens its DICOM port before its HTTP port: an HTTP answer means both are up.
    answers = {"http": lambda: http_answers(started.http_port), "dicom": lambda: accepts(started.dicom_port),
               "": lambda: time.monotonic() > deadline - START_TIMEOUT + 2}[ready]
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise _cannot_start(f"Orthanc exited with status {process.returncode} at startup", started)
        if answers():
            return
        time.sleep(0.05)
    raise _cannot_start(f"Orthanc did not answer within {START_TIMEOUT:.0f} s", started)


def _cannot_start(what: str, started: Running) -> BadInput:
    lines = started.log.read_text(errors="replace").splitlines()[-LOG_TAIL_LINES:]
    return BadInput(Problem("Orthanc", "$", f"{what}; the end of its log:\n" + "\n".join("  " + line for line in lines)))


def http_answers(port: int) -> bool:
    """Whether an HTTP server on 127.0.0.1:port answers GET /system (any status)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/system")
        connection.getresponse().read()
        return True
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False
