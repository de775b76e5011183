"""How fast the wizard draws: start to first screen, and each switch from one topic to the next.

Run: .venv/bin/python bench/bench_tui.py [runs]. Figures are printed, never asserted (shared,
noisy machines). Two views: the installed command in a real terminal (tmux, what an admin
waits for, imports included), and the app in-process (Textual's headless driver).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.tui.terminal import EXECUTABLE, Terminal  # noqa: E402


def terminal_start(runs: int) -> list[float]:
    """Seconds from launching `orthanc-harden` in tmux until the start screen is on it."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            terminal = Terminal(Path(tmp), Path(tmp), f"sleep 0.3; {EXECUTABLE}")
            try:
                times.append(terminal.wait_for("How do you want to start?") - 0.3)
                terminal.keys("C-q")
            finally:
                terminal.close()
    return times


def terminal_switches() -> list[float]:
    """Seconds from Ctrl+N in tmux until the next topic's title is on the screen."""
    from wizard.topics import TOPICS
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        terminal = Terminal(Path(tmp), Path(tmp), str(EXECUTABLE))
        try:
            terminal.wait_for("How do you want to start?")
            terminal.keys("Enter")
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


def show(label: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(f"{label:44} median {statistics.median(ms):7.1f} ms  min {min(ms):7.1f}  max {max(ms):7.1f}"
          f"  (n={len(ms)})")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    start = time.perf_counter()
    import wizard.tui.app  # noqa: F401
    print(f"{'import wizard.tui.app':44} {1000 * (time.perf_counter() - start):7.1f} ms")
    show("tmux: launch to start screen drawn", terminal_start(runs))
    show("tmux: Ctrl+N to next topic drawn", terminal_switches())
    first, switches = asyncio.run(in_process())
    print(f"{'in-process: app start to first screen':44} {first * 1000:7.1f} ms")
    show("in-process: Ctrl+N to next topic (pilot)", switches)


if __name__ == "__main__":
    main()
