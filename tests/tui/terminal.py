"""A private tmux server running the installed `orthanc-harden` in a real terminal."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

EXECUTABLE = Path(sys.executable).parent / "orthanc-harden"


class Terminal:
    """One tmux session on its own socket (so no user's tmux is touched), 80×24 by default."""

    def __init__(self, folder: Path, cwd: Path, command: str, size=(80, 24)):
        tmux = shutil.which("tmux")
        assert tmux, "tmux is required for the real-terminal test: apt-get install tmux"
        self.base = [tmux, "-S", str(folder / "tmux.sock")]
        width, height = size
        # The shell line stays open after the wizard exits, to read its exit status.
        subprocess.run([*self.base, "new-session", "-d", "-s", "wizard", "-x", str(width), "-y", str(height),
                        "-c", str(cwd), f"{command}; echo EXIT=$?; sleep 60"], check=True)

    def screen(self) -> str:
        done = subprocess.run([*self.base, "capture-pane", "-p", "-t", "wizard"], capture_output=True,
                              text=True, check=False)
        return done.stdout

    def wait_for(self, text: str, timeout: float = 20.0, poll: float = 0.01) -> float:
        """Seconds until text is on the screen; fails with the screen shown when it never is."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if text in self.screen():
                return time.perf_counter() - start
            time.sleep(poll)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.base, "send-keys", "-t", "wizard", *keys], check=True)

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, check=False)
