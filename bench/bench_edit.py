"""Time to read + edit + write an existing configuration: Debian's folder and a 100,000-line file.

Run: .venv/bin/python bench/bench_edit.py [runs]. Figures are printed, never asserted. Each
phase is timed in-process (the interpreter's start-up is left out); `json-five` is timed on
the same text for comparison, because its round-trip model was the alternative to our own
minimal text edits (it takes about 20 s on the long file).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from wizard import workflow

DEBIAN = Path("/etc/orthanc")
LINES = 100_000


def long_file(path: Path) -> Path:
    body = [f'  "Key{i}" : "value {i}", // comment {i}' for i in range(LINES - 3)]
    path.write_text("{\n" + "\n".join(body) + '\n  "RemoteAccessAllowed" : true\n}\n', "utf-8")
    return path


def one_run(source: Path, work: Path) -> dict[str, float]:
    """Copy the configuration afresh, then time each phase of `apply --preset intranet --config`."""
    shutil.rmtree(work, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, work)
        target = work
    else:
        work.mkdir()
        target = work / source.name
        shutil.copy(source, target)
    times, start = {}, time.perf_counter()
    answers, imported, _ = workflow.starting_answers("intranet", target, {"https": {"server_name": "pacs.test"}})
    times["read"] = time.perf_counter() - start
    start = time.perf_counter()
    prepared = workflow.prepare(answers, "intranet", work, config=imported)
    times["edit"] = time.perf_counter() - start
    start = time.perf_counter()
    prepared.write()
    times["write"] = time.perf_counter() - start
    times["total"] = sum(times.values())
    return times


def json5_round_trip(path: Path) -> float:
    from json5.dumper import ModelDumper, dumps
    from json5.loader import ModelLoader, loads

    text = path.read_text("utf-8")
    start = time.perf_counter()
    dumps(loads(text, loader=ModelLoader()), dumper=ModelDumper())
    return time.perf_counter() - start


def report(name: str, source: Path, runs: int, tmp: Path) -> None:
    results = [one_run(source, tmp / "work") for _ in range(runs)]
    medians = {phase: statistics.median(r[phase] for r in results) for phase in results[0]}
    print(f"{name}: " + ", ".join(f"{phase} {seconds * 1000:.0f} ms" for phase, seconds in medians.items())
          + f" (median of {runs})")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if (DEBIAN / "orthanc.json").is_file():
            report("Debian /etc/orthanc (4 files, 897 lines)", DEBIAN, runs, tmp)
            seconds = json5_round_trip(DEBIAN / "orthanc.json")
            print(f"  json-five round trip of orthanc.json alone: {seconds * 1000:.0f} ms")
        else:
            print("Debian /etc/orthanc: not installed, skipped")
        big = long_file(tmp / "long.json")
        report(f"one file of {LINES:,} lines", big, max(1, runs // 2), tmp)
        if "--json5" in sys.argv:
            print(f"  json-five round trip of the same file: {json5_round_trip(big):.1f} s")


if __name__ == "__main__":
    main()
