"""The checklist of an edit behind the proxy, followed in order on the real Orthanc, cuts no remote user off.

A copy of Debian's /etc/orthanc with remote access on and two users (radiologist, and orthanc with
the password orthanc) runs on the real Orthanc; the intranet preset edits it (TLS proxy in front,
Orthanc on loopback after the restart). Then every step of CHECKLIST.md is done in order: a
command runs as printed when it touches only the copy, the test's certificate folder, or asks
Orthanc or the proxy; what cannot run here (apt, systemctl, ufw, files of this host's /etc and
/var) is named in STOOD_IN with what stands in for it (the restart: Orthanc started again on the
copy; the reload: tests/integration/nginx.py running the generated nginx-orthanc.conf). Between
every two steps the radiologist, a remote client at 127.0.0.2 with a valid login, must be served:
directly until the step that moves clients to the proxy, through it afterwards.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import time
from contextlib import ExitStack
from pathlib import Path

from tests.edit_support import debian_copy, values

from .nginx import nginx_conf, nginx_test, running_nginx
from .orthanc_server import free_port, running_orthanc
from .profiles import REMOTE, require_tool, run_cli, send

SERVER_NAME = "pacs.test"
RADIOLOGIST = ("radiologist", "Qx7vT2mLp9Zs4Kw8-reads")
_STEP = re.compile(r"^## \d+\. (?P<title>[^\n]*)\n(?P<body>.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)
_SH = re.compile(r"^```sh\n(?P<commands>.*?)^```", re.MULTILINE | re.DOTALL)
# What cannot run on this machine, by the start of the command, and what stands in for it.
STOOD_IN = {
    "getent passwd": "Debian's orthanc package made the user",
    "install -d -o orthanc": "a folder of this host's /var: left as the package made it",
    "systemctl show": "no systemd here: the test runs Orthanc itself",
    "systemctl cat": "no systemd here: the test runs Orthanc itself",
    "install -d -m 0755 /etc/systemd": "the drop-in confines the service at the restart: not run here",
    "cat > /etc/systemd": "the drop-in confines the service at the restart: not run here",
    "systemctl daemon-reload": "no systemd here",
    "systemd-analyze security": "no systemd here",
    "findmnt": "read-only look at this host's disks",
    "lsblk": "read-only look at this host's disks",
    "apt-get install nginx": "nginx is installed here",
    "ufw ": "a firewall on a test machine would cut other tests: the rules are checked by test_checklist_firewall",
    "ss -ltnp": "read-only look at this host's sockets",
    "dpkg ": "read-only look at this host's packages",
}


def steps(checklist: Path) -> list[tuple[str, list[str]]]:
    """(title, commands) of each step as CHECKLIST.md prints them, a here-document kept whole."""
    found = []
    for match in _STEP.finditer(checklist.read_text("utf-8")):
        block = _SH.search(match["body"])
        lines, commands = (block["commands"].splitlines() if block else []), []
        while lines:
            line = lines.pop(0)
            if "<<'EOF'" in line:
                end = lines.index("EOF")
                line, lines = "\n".join([line, *lines[:end + 1]]), lines[end + 1:]
            commands.append(line)
        found.append((match["title"], commands))
    return found


class Site:
    """The host of the test: Orthanc running on the copy as it was started, and nginx once reloaded."""

    def __init__(self, etc: Path, out: Path, tmp: Path, proxy_port: int):
        self.etc, self.out, self.tmp, self.proxy_port = etc, out, tmp, proxy_port
        self.orthanc_stack, self.nginx_stack = ExitStack(), ExitStack()
        self.orthanc = self.orthanc_stack.enter_context(running_orthanc(etc, tmp))
        self.conf = None
        self.nginx = None
        self.via_proxy = False  # the remote client moved to the proxy's address
        self.pause = None  # how long the restart kept the remote client out, in seconds

    def close(self) -> None:
        self.nginx_stack.close()
        self.orthanc_stack.close()

    def client(self, through_proxy: bool) -> int:
        if through_proxy:
            return send(f"https://127.0.0.1:{self.proxy_port}", path="/system", source=REMOTE,
                        server_name=SERVER_NAME, user=RADIOLOGIST[0], password=RADIOLOGIST[1]).status
        return send(self.orthanc.url, path="/system", source=REMOTE, user=RADIOLOGIST[0],
                    password=RADIOLOGIST[1]).status

    def served(self) -> int:
        """What the remote client gets by the way it uses now."""
        return self.client(self.via_proxy)

    def reload_nginx(self) -> None:
        if self.nginx is None:
            self.nginx = self.nginx_stack.enter_context(running_nginx(self.conf, [self.proxy_port]))

    def restart_orthanc(self) -> None:
        """Stop Orthanc and start it on the files now in the copy, as systemctl restart does; the
        time the client is kept out is measured until it is served again."""
        stopped = time.monotonic()
        self.orthanc_stack.close()
        self.orthanc = self.orthanc_stack.enter_context(running_orthanc(self.etc, self.tmp))
        while self.served() != 200 and time.monotonic() - stopped < 30:
            time.sleep(0.05)
        self.pause = time.monotonic() - stopped

    def stand_in(self, command: str) -> str | None:
        """What stands in for a command that cannot run here, done; None for one that runs as printed."""
        line = command.split("  # ")[0]
        if line.startswith("systemctl restart orthanc"):
            self.restart_orthanc()
            return "stood in: Orthanc started again on the copy"
        if line == "systemctl reload nginx":
            self.reload_nginx()
            return "stood in: nginx running the generated file"
        if line.endswith(" && systemctl reload nginx"):  # the proxy's gate: runs for real, then the reload
            if self.bash(line.removesuffix(" && systemctl reload nginx"), check=False).returncode == 0:
                self.reload_nginx()
            return "the gate ran as printed; nginx started (stood in) if it held"
        if line.startswith("install ") and f" {self.out}/nginx-orthanc.conf /etc/nginx/" in line:
            (self.tmp / "nginx").mkdir(exist_ok=True)
            self.conf = nginx_conf(self.tmp / "nginx", self.out)
            return "stood in: the test's nginx.conf including the generated file"
        if line == "nginx -t":
            assert nginx_test(self.conf).returncode == 0, nginx_test(self.conf).stderr
            return "stood in: nginx -t on the test's nginx.conf"
        if line.startswith("nginx -T"):
            return "stood in: " + self.bash(line.replace("nginx -T", f"nginx -T -c {self.conf}", 1)).stdout.strip()
        stand_in = next((why for start, why in STOOD_IN.items() if line.startswith(start)), None)
        if stand_in is None:
            outside = [word for word in re.findall(r"/(?:etc|var|usr|srv|opt)/\S*", line)
                       if not word.startswith(str(self.tmp))]
            assert not outside, f"would touch this host ({outside}): add it to STOOD_IN: {command}"
        return stand_in and "stood in: " + stand_in

    def judged(self, command: str) -> str:
        """A check with its answer after '  # ' (curl, echoscu): run as printed, alone, and compared."""
        line, expected = command.split("  # ", 1)
        done = self.bash(self.logged_in(line), check=False)
        said = done.stdout + done.stderr
        if line.startswith("curl -sfu "):
            assert done.returncode == 0 and '"Version"' in done.stdout, (command, said)
        else:
            assert expected.split(":")[0].split(" (")[0] in said, (command, said)
        return said.strip().splitlines()[-1]

    def logged_in(self, line: str) -> str:
        """A login check as the admin would type it: the password curl asks for, given."""
        if line.startswith("curl -sfu "):
            user = shlex.split(line)[2]
            password = values(self.etc)["RegisteredUsers"][user]
            return line.replace(f"-sfu {user} ", f"-sfu {shlex.quote(user + ':' + password)} ", 1)
        return line

    def bash(self, line: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", line], capture_output=True, text=True,
                              timeout=120, cwd=self.tmp, stdin=subprocess.DEVNULL)
        assert not check or done.returncode == 0, f"{line}\n{done.stdout}{done.stderr}"
        return done


def remote_debian_copy(folder: Path, http_port: int, dicom_port: int) -> Path:
    """Debian's /etc/orthanc with remote access on, free ports, and two users in credentials.json."""
    etc = debian_copy(folder)
    config = (etc / "orthanc.json").read_text()
    config = re.sub(r'"RemoteAccessAllowed"\s*:\s*false', '"RemoteAccessAllowed" : true', config)
    config = re.sub(r'"HttpPort"\s*:\s*8042', f'"HttpPort" : {http_port}', config)
    config = re.sub(r'"DicomPort"\s*:\s*4242', f'"DicomPort" : {dicom_port}', config)
    (etc / "orthanc.json").write_text(config)
    credentials = (etc / "credentials.json").read_text()
    users = f'"RegisteredUsers" : {{\n    "{RADIOLOGIST[0]}" : "{RADIOLOGIST[1]}",\n    "orthanc" : "orthanc",'
    (etc / "credentials.json").write_text(re.sub(r'"RegisteredUsers"\s*:\s*\{', users, credentials, count=1))
    return etc


def test_following_the_checklist_of_an_edit_behind_the_proxy_never_refuses_a_remote_login(tmp_path):
    require_tool("curl"), require_tool("nginx")
    etc = remote_debian_copy(tmp_path / "etc-orthanc", free_port(), free_port())
    proxy_port, out = free_port(), tmp_path / "out"
    site = Site(etc, out, tmp_path, proxy_port)
    try:
        assert site.served() == 200  # before anything: the radiologist is served directly
        done = run_cli("apply", "--preset", "intranet", "--config", str(etc), "--out", str(out),
                       "--set", f"https.server_name={SERVER_NAME}", "--set", f"https.port={proxy_port}",
                       "--set", "https.redirect_http=false", "--set", f"network.allowed_networks={REMOTE}/32",
                       "--set", f"https.certificate={tmp_path}/tls/orthanc.pem", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        log, titles = [], []
        for title, commands in steps(out / "CHECKLIST.md"):
            titles.append(title)
            script = []  # the commands that run as printed, in one shell as the admin pastes them
            for command in [c for c in commands if not c.startswith("#")] + [None]:
                checked = command is not None and command.startswith(("curl ", "echoscu ")) and "  # " in command
                how = (site.stand_in(command) if command is not None and not checked
                       else "end of the step" if command is None else "checked: " + site.judged(command))
                if how is None:
                    script.append(site.logged_in(command.split("  # ")[0]))
                    continue
                if script:
                    site.bash("\n".join(script))
                    log.append(f"{title}: ran {script}")
                    script = []
                log.append(f"{title}: {command.splitlines()[0] if command else ''} -> {how}")
                assert site.served() == 200, "refused after:\n" + "\n".join(log)
                if site.nginx is not None:  # once the proxy is live both ways in serve the client
                    assert site.client(True) == 200 and (site.via_proxy or site.client(False) == 200), "\n".join(log)
            if title.startswith("Move remote clients to"):
                site.via_proxy = True
        print("\n".join(log), f"\nrestart kept the remote client out {site.pause:.2f} s")
        restart = next(i for i, t in enumerate(titles) if t.startswith("Restart Orthanc"))
        before = titles[:restart]
        for needed in ("Put the edited files in", "Put a certificate for", "Put the reverse proxy in front",
                       "Move remote clients to", "Turn the firewall on"):
            assert any(t.startswith(needed) for t in before), (needed, titles)
        assert site.nginx is not None and site.pause is not None and site.pause < 10, site.pause
        assert site.client(False) != 200  # after the restart Orthanc serves remote clients through the proxy only
    finally:
        site.close()
