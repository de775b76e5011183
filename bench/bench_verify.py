"""Wall time of `orthanc-harden verify` on what `apply --preset intranet` writes: the real Orthanc
started on free ports with a temporary storage, every row of the matrix sent, Orthanc stopped.

Run: .venv/bin/python bench/bench_verify.py [runs]. Figures are printed, never asserted: the
machines are shared and noisy.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "out")
        subprocess.run([sys.executable, "-m", "wizard", "apply", "--preset", "intranet",
                        "--set", "https.server_name=pacs.test", "--out", out], check=True, capture_output=True)
        times, rows = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "wizard", "verify", out, "--format", "json"],
                                  capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if done.returncode != 0:
                sys.exit(f"verify exited {done.returncode}:\n{done.stderr}{done.stdout}")
            rows = json.loads(done.stdout)["summary"]["checks"]
        base = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            base.append(time.perf_counter() - start)
    print(f"verify (intranet preset, {rows} rows) median {statistics.median(times):.2f} s, "
          f"min {min(times):.2f} s, max {max(times):.2f} s (runs: {runs}; python -c pass: "
          f"{statistics.median(base) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
