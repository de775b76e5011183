"""What one decision of the filter costs in Lua 5.3 (lupa.lua53), 10 vs 10,000 users, beside the sample.

Run: .venv/bin/python bench/bench_decision.py [--rounds N] [--calls N] [--rev REV]...
Figures are printed, never asserted (goal: 10,000 users within 10% of 10). The loop runs
inside Lua (os.clock around N calls), so lupa's call overhead is left out, and each variant
runs in a process of its own, so that no Lua heap shares an allocator with another; rounds
interleave the variants. Two ways: "filter" reuses one header table, the filter's own work;
"+ headers" builds a fresh table per call as Orthanc does (what a browser behind the proxy
sends), so that a bigger Lua heap's slower allocation and collection show too. Three
requests: GET by the reader (through X-Forwarded-For, its network the last of 20), GET by
the admin, POST /tools/find by the reader (the sample refuses it).
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
from pathlib import Path

import lupa.lua53 as lua53

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import filters  # noqa: E402
from bench.bench_filter import print_table  # noqa: E402

REQUESTS = {"reader GET": ("GET", "/instances/0a1b2c3d-4e5f6a7b-8c9d0e1f-2a3b4c5d-6e7f8a9b", filters.READER),
            "admin GET": ("GET", "/system", filters.ADMIN),
            "reader POST /tools/find": ("POST", "/tools/find", filters.READER)}
WAYS = ("filter", "+ headers")

_LOOP = """
return function(calls, method, uri, username, client, fresh)
  local filter, clock = IncomingHttpRequestFilter, os.clock
  local function headers_of()
    return { ["host"] = "pacs.example.org", ["user-agent"] = "Mozilla/5.0",
             ["accept"] = "application/json", ["authorization"] = "Basic dXNlcjpw",
             ["x-forwarded-for"] = client, ["connection"] = "keep-alive",
             ["x-orthanc-harden-proxy"] = PROXY_SECRET }
  end
  local shared = headers_of()
  local allowed = 0
  collectgarbage()
  local start = clock()
  if fresh then
    for _ = 1, calls do
      if filter(method, uri, "127.0.0.1", username, headers_of()) == true then allowed = allowed + 1 end
    end
  else
    for _ = 1, calls do
      if filter(method, uri, "127.0.0.1", username, shared) == true then allowed = allowed + 1 end
    end
  end
  return clock() - start, allowed
end
"""


def worker(source: str, connection) -> None:
    """Load one filter, then time what the parent asks for until it sends None."""
    runtime = lua53.LuaRuntime(unpack_returned_tuples=True)
    # Orthanc's GetOrthancConfiguration: the proxy's secret, which the filter reads when it loads.
    runtime.execute(f'PROXY_SECRET = "{filters.PROXY_SECRET}"\n'
                    'function GetOrthancConfiguration() return { OrthancHardenProxySecret = PROXY_SECRET } end')
    runtime.execute(source)
    loop = runtime.execute(_LOOP)
    connection.send("ready")
    while (job := connection.recv()) is not None:
        connection.send(loop(*job))


def measure(rounds: int = 7, calls: int = 200_000, revs: list[str] | None = None) -> dict:
    """{"ns": {(request, way): {label: [ns per decision per round]}}, "verdicts": {request: {label: ...}}}."""
    context = multiprocessing.get_context("fork")
    workers = {}
    for label, lua in filters.variants(revs or []):
        if lua is None:
            continue
        parent, child = context.Pipe()
        process = context.Process(target=worker, args=(lua, child), daemon=True)
        process.start()
        workers[label] = (process, parent)
    for _, connection in workers.values():
        connection.recv()
    times: dict = {(name, way): {label: [] for label in workers} for name in REQUESTS for way in WAYS}
    verdicts: dict = {name: {} for name in REQUESTS}
    try:
        labels = list(workers)
        for round_ in range(rounds):
            order = labels[round_ % len(labels):] + labels[:round_ % len(labels)]
            for (name, way), by_label in times.items():
                method, uri, user = REQUESTS[name]
                for label in order:
                    connection = workers[label][1]
                    connection.send((calls, method, uri, user, filters.CLIENT, way != "filter"))
                    seconds, allowed = connection.recv()
                    if allowed not in (0, calls):
                        raise RuntimeError(f"{label} decided {name} two ways ({allowed} of {calls} allowed)")
                    verdicts[name][label] = "allowed" if allowed else "denied"
                    by_label[label].append(seconds / calls * 1e9)
    finally:
        for process, connection in workers.values():
            connection.send(None)
            process.join(5)
    return {"ns": times, "verdicts": verdicts}


def rows(measured: dict) -> list[list[str]]:
    table = []
    for (name, way), by_label in measured["ns"].items():
        sample = statistics.median(by_label["book sample"])
        for label, values in by_label.items():
            small = statistics.median(by_label[label.rsplit(" ", 1)[0] + " 10"]) if label.startswith("ours") else None
            table.append([name, way, label, f"{statistics.median(values):.0f}", f"{min(values):.0f}–{max(values):.0f}",
                          f"{statistics.median(values) / sample:.2f}",
                          f"{statistics.median(values) / small:.2f}" if small else "",
                          measured["verdicts"][name][label]])
    return table


HEADERS = ["request", "way", "filter", "ns/decision", "range", "÷ sample", "÷ same filter, 10 users", "verdict"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--rev", action="append", default=[], help="also our filter as rendered at this git revision")
    args = parser.parse_args(argv)
    measured = measure(args.rounds, args.calls, args.rev)
    print(f"{lua53.LuaRuntime().lua_implementation} (lupa), {args.rounds} interleaved rounds of {args.calls:,} calls, medians")
    print_table(HEADERS, rows(measured))
    return 0


if __name__ == "__main__":
    sys.exit(main())
