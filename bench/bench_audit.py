"""Time of `audit` on a generated configuration: 10,000 modalities and 5,000 users (1x), then 2x.

Run: .venv/bin/python bench/bench_audit.py [runs]. Figures are printed, never asserted (goal:
the 1x audit under 1 s, and 2x about twice 1x). The configuration is a folder as Debian lays it
out: orthanc.json with the modalities (a third in array form, a tenth given by host name while
the host check is on, a comment every 100 entries), credentials.json (mode 0644) with the users
(one in ten with a well-known password), so that most rules have findings to locate and render.
Each phase is timed in-process: reading the files, judging (rules + file and line of each
finding), then each output format. The host is not asked (--orthanc-version is given).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from wizard import versions
from wizard.audit import as_json, report, sarif, text
from wizard.audit.host import Target
from wizard.orthanc import config_files

MODALITIES, USERS = 10_000, 5_000


def modality(i: int) -> str:
    host = f"ct{i}.example.org" if i % 10 == 0 else f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"
    if i % 3 == 0:
        return f'    "m{i}" : [ "AET{i}", "{host}", 104 ]'
    return (f'    "m{i}" : {{ "AET" : "AET{i}", "Host" : "{host}", "Port" : 104, '
            f'"AllowEcho" : true, "AllowStore" : true, "AllowFind" : false }}')


def generate(folder: Path, scale: int) -> Path:
    folder.mkdir()
    entries = []
    for i in range(MODALITIES * scale):
        if i % 100 == 0:
            entries.append(f'    // block {i}: "DicomAlwaysAllowStore" : false')
        entries.append(modality(i) + ("," if i < MODALITIES * scale - 1 else ""))
    (folder / "orthanc.json").write_text(
        '{\n  "RemoteAccessAllowed" : true,\n  "DicomCheckModalityHost" : true,\n'
        '  "DicomModalities" : {\n' + "\n".join(entries) + "\n  }\n}\n", "utf-8")
    users = {f"user{i}": "orthanc" if i % 10 == 0 else f"long-random-password-{i:08}" for i in range(USERS * scale)}
    credentials = folder / "credentials.json"
    credentials.write_text(json.dumps({"RegisteredUsers": users}, indent=2), "utf-8")
    credentials.chmod(0o644)
    return folder


def one_run(folder: Path) -> dict[str, float]:
    times, start = {}, time.perf_counter()
    config = config_files.read(folder)
    times["read"] = time.perf_counter() - start
    start = time.perf_counter()
    result = report.audit(config, Target(versions.parse("1.10.1"), "--orthanc-version", None), {}, "high")
    times["judge"] = time.perf_counter() - start
    for name, render in (("text", text.render), ("json", as_json.render), ("sarif", sarif.render)):
        start = time.perf_counter()
        render(result)
        times[name] = time.perf_counter() - start
    times["audit (read+judge+text)"] = times["read"] + times["judge"] + times["text"]
    times["findings"] = len(result.findings)
    return times


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        medians = {}
        for scale in (1, 2):
            folder = generate(Path(tmp) / f"x{scale}", scale)
            size = sum(p.stat().st_size for p in folder.iterdir())
            results = [one_run(folder) for _ in range(runs)]
            medians[scale] = {k: statistics.median(r[k] for r in results) for k in results[0]}
            print(f"{scale}x: {MODALITIES * scale:,} modalities, {USERS * scale:,} users, {size / 1e6:.1f} MB, "
                  f"{int(medians[scale]['findings']):,} findings (median of {runs} runs)")
            for phase, seconds in medians[scale].items():
                if phase != "findings":
                    print(f"  {phase:<24} {seconds * 1000:8.0f} ms")
        key = "audit (read+judge+text)"
        print(f"2x / 1x for {key}: {medians[2][key] / medians[1][key]:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
