"""The real nginx running the generated nginx-orthanc.conf: a minimal nginx.conf of our own that
includes it, `nginx -t`, and a start that waits for the ports and a stop that waits for the exit.

`running_nginx(..., namespace=True)` starts it in a network namespace of its own, with only its
loopback up: it may then listen on 80 and 443 as the generated file says, and whatever runs in
that namespace (`in_namespace`) can reach nothing but 127.0.0.0/8 of that namespace.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .profiles import require_tool

START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0

# Run by `unshare --net`: bring the new namespace's loopback up (SIOCGIFFLAGS, SIOCSIFFLAGS with
# IFF_UP, as `ip link set lo up` does), then become nginx.
_LOOPBACK_UP_THEN_EXEC = """
import fcntl, os, socket, struct, sys
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    flags = struct.unpack("16sH14x", fcntl.ioctl(s, 0x8913, struct.pack("16sH14x", b"lo", 0)))[1]
    fcntl.ioctl(s, 0x8914, struct.pack("16sH14x", b"lo", flags | 1))
os.execv(sys.argv[1], sys.argv[1:])
"""


def nginx_conf(folder: Path, out_dir: Path) -> Path:
    """The smallest nginx.conf that runs the generated server blocks, every path in folder."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(f"    {kind}_temp_path {folder / kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = folder / "nginx.conf"
    conf.write_text(f"""{user}worker_processes 1;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} info;
events {{}}
http {{
    access_log off;
{temp}    include {out_dir / 'nginx-orthanc.conf'};
}}
""")
    return conf


def nginx_test(conf: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on conf: exit 0 and 'test is successful' when nginx accepts every line."""
    return subprocess.run([require_tool("nginx"), "-t", "-c", str(conf), "-e", str(conf.parent / "error.log")],
                          check=False, capture_output=True, text=True, timeout=30)


@dataclass
class Nginx:
    process: subprocess.Popen
    folder: Path
    namespace: bool

    def log(self) -> str:
        return ((self.folder / "nginx.stderr").read_text(errors="replace")
                + (self.folder / "error.log").read_text(errors="replace"))

    def in_namespace(self, *command: str) -> list[str]:
        """command to run where this nginx listens (its network namespace, if it has one)."""
        if not self.namespace:
            return list(command)
        return [require_tool("nsenter"), f"--net=/proc/{self.process.pid}/ns/net", *command]

    def accepts(self, port: int) -> bool:
        probe = "import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=1).close()"
        if not self.namespace:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return True
            except OSError:
                return False
        return subprocess.run(self.in_namespace(sys.executable, "-c", probe, str(port)), check=False,
                              capture_output=True, timeout=10).returncode == 0


@contextmanager
def running_nginx(conf: Path, ports: Sequence[int], namespace: bool = False) -> Iterator[Nginx]:
    """nginx in the foreground on conf, once every one of ports accepts; stopped and waited for after."""
    nginx, folder = require_tool("nginx"), conf.parent
    command = [nginx, "-c", str(conf), "-e", str(folder / "error.log"), "-g", "daemon off;"]
    if namespace:
        command = [require_tool("unshare"), "--net", "--", sys.executable, "-c", _LOOPBACK_UP_THEN_EXEC, *command]
    with open(folder / "nginx.stderr", "wb") as stderr:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr)
    server = Nginx(process, folder, namespace)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not all(server.accepts(port) for port in ports):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("nginx did not start:\n" + server.log())
            time.sleep(0.05)
        yield server
    finally:
        process.terminate()  # SIGTERM: nginx's fast shutdown, workers included
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT)
