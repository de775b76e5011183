"""Run DCMTK's echoscu, storescu, findscu and dump2dcm, and read their verdict reliably."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from string import Template

TIMEOUT = 30.0
DUMP_TEMPLATE = Path(__file__).parent / "data" / "secondary-capture.dump"
# Bounded network waits, so a silent server fails the call instead of hanging it.
_NETWORK_TIMEOUTS = ["-to", "10", "-ta", "10", "-td", "10"]


@dataclass(frozen=True)
class DicomResult:
    """What a DCMTK tool said: ok only when it exited 0 and printed its success line."""

    ok: bool
    exit_code: int
    output: str


def echo(port: int, calling_aet: str, called_aet: str = "ORTHANC") -> DicomResult:
    """C-ECHO to 127.0.0.1:port."""
    return _run("echoscu", _association(port, calling_aet, called_aet),
                "Received Echo Response (Success)")


def store(port: int, calling_aet: str, called_aet: str, dicom_file: Path) -> DicomResult:
    """C-STORE one file to 127.0.0.1:port."""
    return _run("storescu", [*_association(port, calling_aet, called_aet), str(dicom_file)],
                "Received Store Response (Success)")


def find(port: int, calling_aet: str, called_aet: str = "ORTHANC") -> DicomResult:
    """Study-root C-FIND for every study, to 127.0.0.1:port."""
    keys = ["-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID", "-k", "StudyInstanceUID"]
    return _run("findscu", [*keys, *_association(port, calling_aet, called_aet)],
                "Received Final Find Response (Success)")


def make_dicom_file(path: Path, patient_id: str = "HARDEN1", patient_name: str = "Harden^Test",
                    study_instance_uid: str | None = None, template: Path = DUMP_TEMPLATE) -> Path:
    """Write a small valid instance (a Secondary Capture, or the dump `template` of data/) with fresh
    series and instance UIDs."""
    dump = Template(template.read_text()).substitute(
        patient_id=patient_id, patient_name=patient_name,
        study_instance_uid=study_instance_uid or _new_uid(),
        series_instance_uid=_new_uid(), sop_instance_uid=_new_uid())
    with tempfile.TemporaryDirectory() as folder:
        dump_path = Path(folder) / "instance.dump"
        dump_path.write_text(dump)
        result = _run("dump2dcm", ["+te", str(dump_path), str(path)], "dump successfully converted")
    if not result.ok:
        raise RuntimeError(f"dump2dcm failed ({result.exit_code}):\n{result.output}")
    return path


def _new_uid() -> str:
    # The 2.25 root turns any UUID into a valid, globally unique DICOM UID.
    return f"2.25.{uuid.uuid4().int}"


def _association(port: int, calling_aet: str, called_aet: str) -> list[str]:
    return [*_NETWORK_TIMEOUTS, "-aet", calling_aet, "-aec", called_aet, "127.0.0.1", str(port)]


def _run(tool: str, args: list[str], success_line: str) -> DicomResult:
    # Never -q: a refused echo then prints nothing and exits 0. All verdicts go to stderr.
    binary = shutil.which(tool)
    if binary is None:
        raise FileNotFoundError(f"{tool} not found on PATH: install DCMTK (Debian package dcmtk)")
    done = subprocess.run([binary, "-v", *args], capture_output=True, text=True, timeout=TIMEOUT,
                          stdin=subprocess.DEVNULL)
    ok = done.returncode == 0 and success_line in done.stderr
    return DicomResult(ok, done.returncode, done.stdout + done.stderr)
