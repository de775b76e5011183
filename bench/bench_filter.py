"""What a Lua filter costs the real Orthanc: requests/s with wrk, no filter vs the book's sample vs ours.

Run: .venv/bin/python bench/bench_filter.py [--rounds N] [--seconds S] [--rev REV]...
Needs wrk (apt-get install wrk), Orthanc and dump2dcm (dcmtk). Figures are printed, never
asserted. One Orthanc per variant runs at once (same configuration: 10,000 registered users,
authentication on, loopback only; only the Lua script differs); each round runs wrk on every
variant in turn, the order rotated from round to round, so that the machine's drift hits every
variant alike. Requests are GET /system and GET /instances/{id} as a read-only user, with
X-Forwarded-For naming a client in that user's last network. --rev REV adds our filter as
rendered by wizard/orthanc/lua.py at that git revision (before/after in the same run).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import filters  # noqa: E402
from tests.integration import http  # noqa: E402
from tests.integration.dicom import make_dicom_file  # noqa: E402
from tests.integration.orthanc_server import free_port, running_orthanc  # noqa: E402

THREADS, CONNECTIONS = 2, 8
_RATE = re.compile(r"^Requests/sec:\s+([0-9.]+)", re.MULTILINE)
_REQUESTS = re.compile(r"^\s*([0-9]+) requests in", re.MULTILINE)
_BAD = re.compile(r"^\s*(Non-2xx or 3xx responses|Socket errors):.*$", re.MULTILINE)


def write_config(folder: Path, lua: str | None) -> Path:
    folder.mkdir(parents=True)
    config = {"Name": "bench", "HttpPort": free_port(), "DicomServerEnabled": False,
              "RemoteAccessAllowed": False, "AuthenticationEnabled": True,
              "RegisteredUsers": filters.registered_users(), "LuaScripts": [],
              "OrthancHardenProxySecret": filters.PROXY_SECRET}
    if lua is not None:
        (folder / "filter.lua").write_text(lua, "utf-8")
        config["LuaScripts"] = [str(folder / "filter.lua")]
    (folder / "orthanc.json").write_text(json.dumps(config, indent=1), "utf-8")
    return folder


def upload(url: str, dicom: Path) -> str:
    """Store the instance as the admin (from 127.0.0.1, no proxy header); its Orthanc ID."""
    status, body = http.request(url, "POST", "/instances", filters.ADMIN, filters.PASSWORD, dicom.read_bytes())
    if status != 200:
        raise RuntimeError(f"upload to {url} answered {status}: {body[:200]!r}")
    return json.loads(body)["ID"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and all its threads so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(url: str, seconds: float, pid: int) -> tuple[float, float]:
    """Requests/s, and Orthanc's CPU microseconds per request (less sensitive to a busy machine)."""
    token = base64.b64encode(f"{filters.READER}:{filters.PASSWORD}".encode()).decode()
    before = cpu_seconds(pid)
    result = subprocess.run(["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s",
                             "-H", f"Authorization: Basic {token}", *(word for name, value in filters.PROXIED.items() for word in ("-H", f"{name}: {value}")), url],
                            capture_output=True, text=True, check=True)
    cpu = cpu_seconds(pid) - before
    if bad := _BAD.search(result.stdout):
        raise RuntimeError(f"wrk on {url}: {bad.group(0).strip()}")
    requests = int(_REQUESTS.search(result.stdout).group(1))
    return float(_RATE.search(result.stdout).group(1)), cpu / requests * 1e6


def start_all(stack: ExitStack, tmp: Path, revs: list[str]) -> tuple[dict, str]:
    """Start one Orthanc per variant: ({label: OrthancProcess}, the ID of the instance each holds)."""
    dicom = make_dicom_file(tmp / "instance.dcm")
    servers, instance = {}, ""
    for index, (label, lua) in enumerate(filters.variants(revs)):
        config = write_config(tmp / f"config-{index}", lua)
        servers[label] = stack.enter_context(running_orthanc(config, tmp, graceful=False))
        instance = upload(servers[label].url, dicom)
    return servers, instance


def measure(rounds: int = 5, seconds: float = 3.0, revs: list[str] | None = None) -> dict:
    """{request: {label: [(requests/s, CPU µs per request) per round]}}, every variant once per round."""
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        servers, instance = start_all(stack, Path(folder), revs or [])
        uris = {"GET /system": "/system", "GET /instances/{id}": f"/instances/{instance}"}
        for label, server in servers.items():  # every variant serves the reader before anything is timed
            for uri in uris.values():
                status, _ = http.request(server.url, "GET", uri, filters.READER, filters.PASSWORD,
                                         headers=filters.PROXIED)
                if status != 200:
                    raise RuntimeError(f"{label}: GET {uri} as the reader answered {status}")
        labels = list(servers)
        figures: dict = {name: {label: [] for label in labels} for name in uris}
        for round_ in range(rounds):
            order = labels[round_ % len(labels):] + labels[:round_ % len(labels)]
            for name, uri in uris.items():
                for label in order:
                    server = servers[label]
                    figures[name][label].append(wrk(server.url + uri, seconds, server.process.pid))
        return figures


def rows(figures: dict) -> list[list[str]]:
    """One row per request and variant: requests/s (median, range, ÷ no filter: of the medians,
    then the range of the same-round ratios), Orthanc's CPU per request (median, ÷ no filter), and
    both ÷ the sample's in the same round (median)."""
    table = []
    for name, by_label in figures.items():
        base, sample = by_label["no filter"], by_label["book sample"]
        for label, values in by_label.items():
            rates, cpus = [v[0] for v in values], [v[1] for v in values]
            per_round = [v[0] / b[0] for v, b in zip(values, base)]
            ours = label.startswith("ours")
            table.append([name, label, f"{statistics.median(rates):,.0f}", f"{min(rates):,.0f}–{max(rates):,.0f}",
                          f"{statistics.median(rates) / statistics.median(b[0] for b in base):.2f}",
                          f"{min(per_round):.2f}–{max(per_round):.2f}",
                          f"{statistics.median(v[0] / s[0] for v, s in zip(values, sample)):.2f}" if ours else "",
                          f"{statistics.median(cpus):.1f}",
                          f"{statistics.median(cpus) / statistics.median(b[1] for b in base):.2f}",
                          f"{statistics.median(v[1] / s[1] for v, s in zip(values, sample)):.2f}" if ours else ""])
    return table


HEADERS = ["request", "filter", "req/s median", "range", "÷ no filter", "per round", "÷ sample",
           "CPU µs/req", "÷ no filter", "÷ sample"]


def print_table(header: list[str], body: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *body]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def machine(before: tuple[float, float, float], after: tuple[float, float, float]) -> str:
    """The machine and its load (1, 5, 15 min) before and after: figures of one run compare only
    with each other, and a busy machine lowers every variant."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    load = ", ".join(f"{a:.2f}" for a in before), ", ".join(f"{a:.2f}" for a in after)
    orthanc = subprocess.run([os.environ.get("ORTHANC_BINARY", "/usr/sbin/Orthanc"), "--version"], text=True,
                             capture_output=True, check=False).stdout.splitlines()[:1]
    return (f"{platform.node()}: {os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}, "
            f"{' '.join(orthanc) or 'Orthanc'}; load average {load[0]} before, {load[1]} after")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rev", action="append", default=[], help="also our filter as rendered at this git revision")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("bench_filter: wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    load_before = os.getloadavg()
    figures = measure(args.rounds, args.seconds, args.rev)
    print(machine(load_before, os.getloadavg()))
    print(f"wrk -t{THREADS} -c{CONNECTIONS}, {args.rounds} interleaved rounds of {args.seconds:g} s, "
          f"{filters.CIDRS} networks per user, X-Forwarded-For in the reader's last network")
    print_table(HEADERS, rows(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
