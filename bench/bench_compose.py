"""`show` and `audit` of a large compose deployment: 50 services, a 1 MB `.env`.

Run: .venv/bin/python bench/bench_compose.py [runs]. Prints the median time of each command run
in-process (the reading, the generator and the rules, without Python's start-up) and as a whole
command, beside `python -c pass` measured in the same run. Goal (issue 15): under 0.5 s. Figures are
printed, never asserted: the machines are shared and noisy.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SERVICES = 50
DOTENV_BYTES = 1_000_000


def deployment(folder: Path) -> Path:
    """A compose file with one Orthanc service among 49 others, and a 1 MB .env it interpolates from."""
    lines, count = [], 0
    while sum(len(line) + 1 for line in lines) < DOTENV_BYTES:
        lines.append(f"SITE_VARIABLE_{count}=value-{count}-" + "x" * 40)
        count += 1
    lines += ["ORTHANC_TAG=24.12.1", "HTTP_PORT=8042", "ADMIN_PASSWORD=Long-Admin-Password-1"]
    (folder / ".env").write_text("\n".join(lines) + "\n")
    services = ["services:", "  orthanc:", "    image: orthancteam/orthanc:${ORTHANC_TAG}",
                "    ports: ['${HTTP_PORT}:8042', '4242:4242']", "    environment:",
                '      ORTHANC__REGISTERED_USERS: \'{"admin": "${ADMIN_PASSWORD}"}\'',
                "      ORTHANC__DICOM_CHECK_CALLED_AET: 'true'", "      VERBOSE_STARTUP: 'true'"]
    services += [f"      ORTHANC__DICOM_MODALITIES__M{i}: '[\"M{i}\", \"127.0.0.{i % 250 + 2}\", 104]'"
                 for i in range(40)]
    for i in range(SERVICES - 1):
        services += [f"  worker{i}:", "    image: python:3.11-slim", "    environment:",
                     f"      SETTING: ${{SITE_VARIABLE_{i}}}", f"    ports: ['{9000 + i}:80']"]
    path = folder / "docker-compose.yml"
    path.write_text("\n".join(services) + "\n")
    return path


def in_process(argv: list[str], runs: int) -> float:
    from wizard import cli
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            cli.main(argv)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def whole(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as tmp:
        compose = deployment(Path(tmp))
        tool = [sys.executable, "-m", "wizard"]
        base = whole([sys.executable, "-c", "pass"], runs)
        print(f"compose file: {SERVICES} services, .env {(Path(tmp) / '.env').stat().st_size:,} bytes; "
              f"median of {runs} runs")
        print(f"python -c pass                      {base:6.3f} s")
        for name, argv in (("show", ["show", str(compose)]), ("show --origin", ["show", str(compose), "--origin"]),
                           ("audit", ["audit", str(compose), "--orthanc-version", "1.12.5"])):
            inner, outer = in_process(argv, runs), whole(tool + argv, runs)
            print(f"{name:<16} in-process {inner:6.3f} s   whole command {outer:6.3f} s (x{outer / base:.1f} python -c pass)")


if __name__ == "__main__":
    main()
