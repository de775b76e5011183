"""verify's matrix as text (a table, failing rows named again at the end) or JSON (format 1)."""

from __future__ import annotations

import json

from wizard.verify.checks import FAIL, GAP, PASS, Outcome, Row

HEADER = ("area", "what", "who", "expected", "got", "result")
MAX_WIDTH = {"what": 48, "who": 40}


def text(outcome: Outcome, folder: str, release: str | None) -> str:
    cells = [HEADER] + [_cells(row) for row in outcome.rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]
    lines = [f"verify {folder} on Orthanc {release or '(release unknown)'}", ""]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in cells]
    notes = [row for row in outcome.rows if row.result != PASS and (row.detail or row.check.note)]
    if notes:
        lines += ["", "Notes:"] + [f"  {row.name}: {row.detail or row.check.note}" for row in notes]
    lines += ["", summary(outcome)]
    if outcome.failed:
        lines += ["Failed:"] + [f"  {row.name}: expected {row.check.expected}, got {row.got}" for row in outcome.failed]
    lines.append(f"Result: {'FAIL' if outcome.failed else 'PASS'}")
    return "\n".join(lines) + "\n"


def summary(outcome: Outcome) -> str:
    return (f"Checks: {len(outcome.rows)}: {outcome.count(PASS)} pass, {outcome.count(FAIL)} fail, "
            f"{outcome.count(GAP)} not checkable")


def as_json(outcome: Outcome, folder: str, release: str | None, binary: str) -> str:
    data = {
        "format": 1,
        "dir": folder,
        "orthanc": {"binary": binary, "version": release},
        "summary": {"checks": len(outcome.rows), "passed": outcome.count(PASS), "failed": outcome.count(FAIL),
                    "not_checkable": outcome.count(GAP), "result": "fail" if outcome.failed else "pass"},
        "rows": [_json_row(row) for row in outcome.rows],
    }
    return json.dumps(data, indent=2) + "\n"


def _json_row(row: Row) -> dict:
    return {"area": row.check.area, "what": row.check.what, "who": row.check.who, "expected": row.check.expected,
            "got": row.got, "result": row.result, "note": row.detail or row.check.note}


def _cells(row: Row) -> tuple[str, ...]:
    check = row.check
    return (check.area, _cut(check.what, MAX_WIDTH["what"]), _cut(check.who, MAX_WIDTH["who"]),
            check.expected, row.got, row.result)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"
