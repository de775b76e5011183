"""Median time of a headless `apply` beside `python -c pass` and the Lua filter's throughput.

Run: .venv/bin/python bench/bench_apply.py [runs]. Figures are printed, never asserted: the
machines are shared and noisy, so compare the ratios measured in the same run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def lua_throughput(requests: int = 50_000) -> float:
    import lupa.lua53 as lua53

    from wizard import profile
    from wizard.topics.authentication import policy
    from wizard.orthanc.lua import render_lua

    answers = profile.effective({"authentication": {"users": [
        {"name": f"user{i}", "role": ("admin", "read-only", "uploader")[i % 3], "from": ["10.0.0.0/8"]}
        for i in range(200)]}})
    runtime = lua53.LuaRuntime(unpack_returned_tuples=True)
    runtime.execute(render_lua(policy(answers)))
    decide = runtime.globals().IncomingHttpRequestFilter
    headers = runtime.table_from({"x-forwarded-for": "10.1.2.3"})
    start = time.perf_counter()
    for i in range(requests):
        decide("GET", "/studies/x", "10.1.2.3", f"user{i % 200}", headers)
    return requests / (time.perf_counter() - start)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as tmp:
        base = median_seconds([sys.executable, "-c", "pass"], runs)
        out = str(Path(tmp) / "out")
        modules = median_seconds([sys.executable, "-c", "import wizard.commands.apply"], runs)
        local = median_seconds([sys.executable, "-m", "wizard", "apply", "--preset", "localhost", "--out",
                                str(Path(tmp) / "local")], runs)
        intranet = [sys.executable, "-m", "wizard", "apply", "--preset", "intranet", "--set",
                    "https.server_name=pacs.example.org", "--out", out]
        apply = median_seconds(intranet, runs)
        check = median_seconds([*intranet, "--check"], runs)
    print(f"python -c pass           median {base * 1000:7.1f} ms  (runs: {runs})")
    print(f"import apply's modules   median {modules * 1000:7.1f} ms  ratio {modules / base:5.1f}x")
    print(f"apply --preset localhost median {local * 1000:7.1f} ms  ratio {local / base:5.1f}x  (goal: 8x or less)")
    print(f"apply --preset intranet  median {apply * 1000:7.1f} ms  ratio {apply / base:5.1f}x")
    print(f"apply --check (no-op)    median {check * 1000:7.1f} ms  ratio {check / base:5.1f}x")
    print(f"Lua filter, 200 users   {lua_throughput():,.0f} requests/s through lupa")


if __name__ == "__main__":
    main()
