"""The rows of verify's matrix: what is tried, by whom, what the saved answers expect, and what came back."""

from __future__ import annotations

from dataclasses import dataclass, field

PASS, FAIL, GAP = "pass", "fail", "not checkable"
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class HttpRequest:
    """One REST request. `path` may name {patient} or {instance}: a fresh one stored just before.
    `body` "instance" is a fresh DICOM instance; login None is anonymous."""

    method: str
    path: str
    body: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    login: tuple[str, str] | None = None
    source: str = LOOPBACK  # the address it is sent from (127.0.0.x only): inside a user's networks


@dataclass(frozen=True)
class DicomRequest:
    """One association to Orthanc with one command: echo, store or find."""

    command: str
    calling: str
    called: str
    source: str = LOOPBACK  # the address the association comes from (127.0.0.x only)


@dataclass(frozen=True)
class PortClosed:
    """Nothing must listen on this port of the staged Orthanc: "http" or "dicom"."""

    which: str


@dataclass(frozen=True)
class Check:
    area: str  # "http" or "dicom"
    what: str
    who: str
    expected: str  # "200", "401", "403", "404", "success", "refused", "closed"
    request: HttpRequest | DicomRequest | PortClosed | None
    note: str = ""  # why this is expected; or, without a request, why it is not checkable
    broken: str = ""  # without a request: a failure known before anything runs


@dataclass(frozen=True)
class Row:
    check: Check
    got: str
    result: str  # PASS, FAIL or GAP
    detail: str = ""

    @property
    def name(self) -> str:
        return f"{self.check.who}: {self.check.what}"


def judge(check: Check, got: str, detail: str = "", gap: str = "") -> Row:
    """got is the class of what came back ("403", "refused"...); a gap makes the row not checkable."""
    if gap:
        return Row(check, got, GAP, gap)
    return Row(check, got, PASS if got == check.expected else FAIL, detail)


def unrun(check: Check) -> Row:
    """A check with no request: known to fail, or not checkable from here."""
    if check.broken:
        return Row(check, check.broken, FAIL)
    return Row(check, "-", GAP, check.note)


@dataclass
class Outcome:
    rows: list[Row] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for row in self.rows if row.result == result)

    @property
    def failed(self) -> list[Row]:
        return [row for row in self.rows if row.result == FAIL]
