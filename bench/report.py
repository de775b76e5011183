"""Every figure of the proof suite in one table, with the machine described: what bench/run prints.

Run: bash bench/run [--quick] [--long] [--rev REV]... (see bench/run). Figures are printed, never
asserted. --long also runs `pytest -m long` (100,000 differential requests, 10,000 fuzz examples,
100 crash trials) and reports its result; --quick makes every measurement short (a smoke run).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bench_decision, bench_filter  # noqa: E402
from bench.bench_apply import median_seconds  # noqa: E402
from bench.bench_filter import print_table  # noqa: E402


def machine() -> list[list[str]]:
    cpu = re.search(r"^model name\s*:\s*(.*)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024
    orthanc = subprocess.run(["Orthanc", "--version"], capture_output=True, text=True).stdout.splitlines()
    return [["machine", "CPU", f"{cpu.group(1) if cpu else platform.processor()}, {os.cpu_count()} cores"],
            ["machine", "memory", f"{memory:,} MiB"],
            ["machine", "system", f"{platform.system()} {platform.release()}, Debian {_debian()}"],
            ["machine", "Orthanc", orthanc[0].split(" ", 1)[-1] if orthanc else "not found"],
            ["machine", "Python", platform.python_version()],
            ["machine", "load average at start", " ".join(f"{x:.2f}" for x in os.getloadavg())]]


def _debian() -> str:
    path = Path("/etc/debian_version")
    return path.read_text().strip() if path.exists() else "?"


def filter_rows(rounds: int, seconds: float, revs: list[str]) -> list[list[str]]:
    figures = bench_filter.measure(rounds, seconds, revs)
    rows = []
    for row in bench_filter.rows(figures):
        request, label, rate, _, vs_none, per_round, vs_sample, cpu, cpu_vs_none, cpu_vs_sample = row
        value = f"{rate} req/s, {vs_none} of no filter (rounds {per_round}); {cpu} µs CPU/req, ×{cpu_vs_none}"
        if vs_sample:
            value += f"; ÷ sample: {vs_sample} req/s, ×{cpu_vs_sample} CPU"
        rows.append([f"filter on Orthanc, {request}", label, value])
    note = (f"wrk -t{bench_filter.THREADS} -c{bench_filter.CONNECTIONS}, {rounds} interleaved rounds of {seconds:g} s, "
            "medians; reader with X-Forwarded-For in its last of 20 networks")
    return [["filter on Orthanc", "how", note], *rows]


def decision_rows(rounds: int, calls: int, revs: list[str]) -> list[list[str]]:
    measured = bench_decision.measure(rounds, calls, revs)
    rows = []
    for (request, way), by_label in measured["ns"].items():
        median = {label: statistics.median(values) for label, values in by_label.items()}
        for label, ns in median.items():
            value = f"{ns:.0f} ns, ×{ns / median['book sample']:.2f} the sample"
            if label.startswith("ours") and not label.endswith(" 10"):
                value += f", ×{ns / median[label.rsplit(' ', 1)[0] + ' 10']:.2f} the same filter at 10 users"
            rows.append([f"decision in Lua 5.3, {request} ({way})", label, value])
    return [["decision in Lua 5.3", "how", f"lupa, {rounds} interleaved rounds of {calls:,} calls, medians"], *rows]


def startup_rows(runs: int) -> list[list[str]]:
    python = [sys.executable]
    with tempfile.TemporaryDirectory() as tmp:
        base = median_seconds([*python, "-c", "pass"], runs)
        out = str(Path(tmp) / "out")
        apply = median_seconds([*python, "-m", "wizard", "apply", "--preset", "localhost", "--out", out], runs)
        check = median_seconds([*python, "-m", "wizard", "apply", "--preset", "localhost", "--out", out, "--check"],
                               runs)
    return [["start-up", "python -c pass", f"{base * 1000:.0f} ms (median of {runs})"],
            ["start-up", "apply --preset localhost", f"{apply * 1000:.0f} ms, ×{apply / base:.1f} python (goal < 300 ms)"],
            ["start-up", "apply --check, nothing to change", f"{check * 1000:.0f} ms, ×{check / base:.1f} python"]]


def long_rows() -> list[list[str]]:
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rf", "-m", "long", "-p", "no:cacheprovider"], cwd=ROOT,
                          capture_output=True, text=True)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-200:]
    what = ("differential: 100,000 requests, Lua vs Python; fuzzing: 5,000 damaged configuration files "
            "(apply, --out, --check, audit, import) and 5,000 generated profiles; crash: 100 SIGKILLed applies")
    rows = [["long test run", "pytest -m long", f"{summary} ({time.monotonic() - start:.0f} s)"],
            ["long test run", "what it runs", what]]
    if done.returncode:
        log = Path(tempfile.mkstemp(prefix="orthanc-harden-long-", suffix=".log")[1])
        log.write_text(done.stdout + done.stderr)
        rows += [["long test run", "failed", line] for line in done.stdout.splitlines() if line.startswith("FAILED")]
        rows.append(["long test run", "whole output", str(log)])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short measurements (a smoke run, noisy figures)")
    parser.add_argument("--long", action="store_true", help="also run the long tests (pytest -m long)")
    parser.add_argument("--rev", action="append", default=[], help="also our filter as rendered at this git revision")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("bench/run: wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    quick = args.quick
    rows = machine()
    rows += filter_rows(1 if quick else 8, 1.0 if quick else 2.0, args.rev)
    rows += decision_rows(1 if quick else 7, 20_000 if quick else 200_000, args.rev)
    rows += startup_rows(3 if quick else 15)
    if args.long:
        rows += long_rows()
    rows.append(["machine", "load average at end", " ".join(f"{x:.2f}" for x in os.getloadavg())])
    print_table(["area", "figure", "value"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
