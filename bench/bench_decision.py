"""What one decision of the filter costs in Lua 5.3 (lupa.lua53), 10 vs 10,000 users, beside the sample.

Run: .venv/bin/python bench/bench_decision.py [--rounds N] [--calls N] [--rev REV]...
Figures are printed, never asserted (goal: 10,000 users within 10% of 10). The loop runs
inside Lua (os.clock around N calls), so lupa's call overhead is left out. Each call gets a
fresh header table, as Orthanc builds one per request, holding what a browser behind the
proxy sends; rounds interleave the variants. Three requests: GET by the reader (through
X-Forwarded-For, its network the last of 20), GET by the admin, POST /tools/find by the reader.
"""

from __future__ import annotations

import argparse
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

_LOOP = """
return function(calls, method, uri, username, client)
  local filter, clock = IncomingHttpRequestFilter, os.clock
  local allowed = 0
  local start = clock()
  for _ = 1, calls do
    local headers = { ["host"] = "pacs.example.org", ["user-agent"] = "Mozilla/5.0",
                      ["accept"] = "application/json", ["authorization"] = "Basic dXNlcjpw",
                      ["x-forwarded-for"] = client, ["connection"] = "keep-alive" }
    if filter(method, uri, "127.0.0.1", username, headers) == true then allowed = allowed + 1 end
  end
  return clock() - start, allowed
end
"""


def loaded(source: str):
    runtime = lua53.LuaRuntime(unpack_returned_tuples=True)
    runtime.execute(source)
    return runtime.execute(_LOOP)


def measure(rounds: int = 7, calls: int = 200_000, revs: list[str] | None = None) -> dict:
    """{"ns": {request: {label: [ns per decision, one per round]}}, "verdicts": {request: {label: ...}}}."""
    loops = {label: loaded(lua) for label, lua in filters.variants(revs or []) if lua is not None}
    times: dict = {name: {label: [] for label in loops} for name in REQUESTS}
    verdicts: dict = {name: {} for name in REQUESTS}
    for round_ in range(rounds):
        labels = list(loops)
        order = labels[round_ % len(labels):] + labels[:round_ % len(labels)]
        for name, (method, uri, user) in REQUESTS.items():
            for label in order:
                seconds, allowed = loops[label](calls, method, uri, user, filters.CLIENT)
                if allowed not in (0, calls):
                    raise RuntimeError(f"{label} decided {name} two ways ({allowed} of {calls} allowed)")
                verdicts[name][label] = "allowed" if allowed else "denied"
                times[name][label].append(seconds / calls * 1e9)
    return {"ns": times, "verdicts": verdicts}


def rows(measured: dict) -> list[list[str]]:
    table = []
    for name, by_label in measured["ns"].items():
        sample = statistics.median(by_label["book sample"])
        for label, values in by_label.items():
            size = label.rsplit(" ", 1)[0] + " 10"
            small = statistics.median(by_label[size]) if label.startswith("ours") else None
            table.append([name, label, f"{statistics.median(values):.0f}", f"{min(values):.0f}–{max(values):.0f}",
                          f"{statistics.median(values) / sample:.2f}",
                          f"{statistics.median(values) / small:.2f}" if small else "",
                          measured["verdicts"][name][label]])
    return table


HEADERS = ["request", "filter", "ns/decision", "range", "÷ sample", "÷ same filter, 10 users", "verdict"]


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
