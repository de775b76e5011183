"""How fast the wizard draws: start to first screen, each switch from one topic to the next, and
the second start of `bash scripts/run.sh` (what an admin waits for each time after the first).

Run: .venv/bin/python bench/bench_tui.py [runs] [--rev REV] [--run-sh]. Figures are printed, never
asserted (shared, noisy machines). Views: the command in a real terminal (tmux, imports included)
and the app in-process (Textual's headless driver). --rev REV measures the tree of that commit too,
in the same run (git archive into a temporary folder, run with its own code): before and after.
--run-sh times scripts/run.sh (this tree's, and REV's with --rev) in throwaway copies of the tree,
each with its own .venv (their first start installs): the shared .venv is never touched.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
TREE = Path(os.environ.get("BENCH_TREE", REPOSITORY))  # whose wizard is measured (--rev: an older one)
sys.path.insert(0, str(TREE))

from tests.tui.terminal import Terminal  # noqa: E402

START = "How do you want to start?"
PYTHON = REPOSITORY / ".venv" / "bin" / "python"


def command() -> str:
    """The wizard of TREE, as a shell command (the installed entry point runs the repository's)."""
    return f"PYTHONPATH={TREE} {PYTHON} -m wizard"


def terminal_start(runs: int) -> list[float]:
    """Seconds from launching the wizard in tmux until the start screen is on it."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            terminal = Terminal(Path(tmp), Path(tmp), f"sleep 0.3; {command()}")
            try:
                times.append(terminal.wait_for(START) - 0.3)
                terminal.keys("C-q")
            finally:
                terminal.close()
    return times


def terminal_switches() -> list[float]:
    """Seconds from Ctrl+N in tmux until the next topic's title is on the screen."""
    from wizard.topics import TOPICS
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        terminal = Terminal(Path(tmp), Path(tmp), f"{command()} --preset localhost")
        try:
            terminal.wait_for(START)
            terminal.keys("Down", "Enter")  # past the edit of /etc/orthanc, when offered: a preset
            terminal.wait_for(f"Topic 1 of {len(TOPICS)}")
            for number in range(2, len(TOPICS) + 1):
                terminal.keys("C-n")
                times.append(terminal.wait_for(f"Topic {number} of {len(TOPICS)}", poll=0.002))
        finally:
            terminal.close()
    return times


async def in_process() -> tuple[float, list[float]]:
    from wizard.commands.interactive import starts
    from wizard.tui.app import make_app
    from wizard.tui.start_screen import StartScreen

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        app = make_app(*starts(None, None, str(Path(tmp) / "out"), debian=None))
        async with app.run_test(size=(80, 24)) as pilot:
            while not isinstance(app.screen, StartScreen):
                await pilot.pause()
            await pilot.pause()
            first = time.perf_counter() - start
            await pilot.press("enter")
            switches = []
            while app.flow.step in app.flow.topics:
                began = time.perf_counter()
                await pilot.press("ctrl+n")
                switches.append(time.perf_counter() - began)
    return first, switches


def measure(runs: int) -> dict[str, list[float]]:
    started = time.perf_counter()
    import wizard.tui.app  # noqa: F401
    imported = time.perf_counter() - started
    first, switches = asyncio.run(in_process())
    return {"import wizard.tui.app": [imported], "tmux: launch to start screen drawn": terminal_start(runs),
            "tmux: Ctrl+N to next topic drawn": terminal_switches(),
            "in-process: app start to first screen": [first], "in-process: Ctrl+N to next topic (pilot)": switches}


def run_sh(tree: Path, runs: int) -> dict[str, list[float]]:
    """tree's scripts/run.sh in tmux, in a throwaway copy with its own .venv: the first start
    (which installs) and the later ones, launch to the start screen."""
    first, later = [], []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy"
        if tree == REPOSITORY:  # the committed tree with this working tree's script and dependencies
            exported("HEAD", copy)
            for name in ("scripts/run.sh", "pyproject.toml"):
                (copy / name).write_bytes((REPOSITORY / name).read_bytes())
        else:
            subprocess.run(["cp", "-a", str(tree), str(copy)], check=True)
        for run in range(runs + 1):
            socket = Path(tmp) / f"terminal-{run}"  # a tmux server of its own each time
            socket.mkdir()
            terminal = Terminal(socket, Path(tmp), f"sleep 0.3; bash {copy}/scripts/run.sh")
            try:
                (first if run == 0 else later).append(terminal.wait_for(START, timeout=600) - 0.3)
                terminal.keys("C-q")
            finally:
                terminal.close()
    return {"run.sh: first start (creates .venv, installs)": first, "run.sh: second and later starts": later}


def show(label: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(f"{label:48} median {statistics.median(ms):8.1f} ms  min {min(ms):8.1f}  max {max(ms):8.1f}"
          f"  (n={len(ms)})")


def exported(rev: str, into: Path) -> Path:
    into.mkdir()
    archive = subprocess.run(["git", "-C", str(REPOSITORY), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def measured_in(tree: Path, runs: int) -> dict[str, list[float]]:
    """measure() in a child process running tree's own code."""
    done = subprocess.run([str(PYTHON), __file__, str(runs), "--json"], env={**os.environ, "BENCH_TREE": str(tree)},
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="?", type=int, default=5)
    parser.add_argument("--rev", help="also measure this commit's tree, in the same run (before/after)")
    parser.add_argument("--run-sh", action="store_true", help="time scripts/run.sh in throwaway copies")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # a child's figures
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.runs)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this tree": REPOSITORY, **({args.rev: exported(args.rev, Path(tmp) / "rev")} if args.rev else {})}
        for name, tree in trees.items():
            print(f"== {name} ({tree})")
            figures = measured_in(tree, args.runs) if tree != REPOSITORY else measure(args.runs)
            if args.run_sh:
                figures.update(run_sh(tree, args.runs))
            for label, seconds in figures.items():
                show(label, seconds)


if __name__ == "__main__":
    main()
