"""The checklist of each preset and of three more profiles, followed as printed: every ufw line is
one the real ufw accepts (--dry-run), the firewall is turned on once, after every rule (no port the
site uses closes meanwhile), nothing checks Orthanc or the proxy before the step that makes them
so, and the login and stranger checks of the last step give the answers they announce on the real
Orthanc started on the files written."""

from __future__ import annotations

import json
import re
import shlex
import subprocess

import pytest

from wizard import harden, profile

from .orthanc_server import free_port
from .profiles import apply_profile, load_preset, make_certificate, preset_names, require_tool, with_ports

MODALITIES = [{"name": "ct", "aet": "CT", "host": "10.1.2.3", "port": 104, "allow": ["store"]},
              {"name": "far", "aet": "FAR", "host": "172.20.0.9", "port": 104, "allow": ["store"]}]
PROFILES = {
    **{f"preset {name}": load_preset(name) for name in preset_names()},
    "unknown AETs welcome": {"network": {"remote_access": True, "allowed_networks": ["10.0.0.0/8"]},
                             "https": {"mode": "reverse-proxy", "server_name": "pacs.test"},
                             "authentication": {"users": [{"name": "a", "role": "admin"}]},
                             "dicom": {"always_allow_echo": True, "modalities": MODALITIES}},
    "modalities by name": {"dicom": {"check_modality_host": False, "modalities": [
        {"name": "ct", "aet": "CT", "host": "ct.example.org", "port": 104, "allow": ["store"]}]}},
    "open to all": {"network": {"remote_access": True}, "https": {"mode": "reverse-proxy", "server_name": "pacs.test"},
                    "authentication": {"users": [{"name": "reader", "role": "read-only"},
                                                 {"name": "a", "role": "admin", "from": ["10.0.0.0/8"]}]},
                    "dicom": {"always_allow_store": True}},
}
_STEP = re.compile(r"^## \d+\. (.*?)\n(.*?)(?=^## |\Z)", re.S | re.M)
_BLOCK = re.compile(r"```sh\n(.*?)\n```", re.S)


def steps_of(raw: dict) -> list[tuple[str, list[str]]]:
    """(title, commands) of each step of the checklist written for raw, in order."""
    text = harden.plan(profile.effective(raw), "p.jsonc").files["CHECKLIST.md"].text
    return [(title, [line for block in _BLOCK.findall(body) for line in block.splitlines()])
            for title, body in _STEP.findall(text) if not title.startswith("Warnings")]


def ufw_lines(raw: dict) -> list[str]:
    return [line.split("  #")[0] for _, commands in steps_of(raw) for line in commands if line.startswith("ufw ")]


@pytest.mark.parametrize("name", PROFILES)
def test_every_ufw_line_is_accepted_by_ufw(name):
    ufw = require_tool("ufw")
    lines = ufw_lines(PROFILES[name])
    assert lines, "each of these profiles has a firewall step"
    for line in dict.fromkeys(lines):
        if line == "ufw allow OpenSSH":
            continue  # an application profile that openssh-server installs; not on this machine
        done = subprocess.run([ufw, "--dry-run", *line.split()[1:]], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, (line, done.stdout + done.stderr)


@pytest.mark.parametrize("name", PROFILES)
def test_the_firewall_is_turned_on_once_after_every_rule_with_ssh_allowed_first(name):
    lines = ufw_lines(PROFILES[name])
    assert lines.count("ufw enable") == 1, lines
    enable = lines.index("ufw enable")
    rules = [i for i, line in enumerate(lines) if line.split()[1] in ("allow", "deny") and line != "ufw allow OpenSSH"]
    assert rules and max(rules) < enable, lines  # every allow (and deny) is in before ufw refuses the rest
    assert lines[enable - 1] == "ufw allow OpenSSH"  # or the admin's SSH session is cut
    titles = [title for title, _ in steps_of(PROFILES[name])]
    on = titles.index("Turn the firewall on")
    later = [title for title, commands in steps_of(PROFILES[name])[on + 1:] if any(c.startswith("ufw ") for c in commands)]
    assert later == [], later  # the last of the firewall steps


@pytest.mark.parametrize("name", PROFILES)
def test_no_step_checks_what_a_later_step_sets_up(name):
    steps = steps_of(PROFILES[name])
    answers = profile.effective(PROFILES[name])
    orthanc = f"127.0.0.1:{answers['network']['http_port']}"
    proxied = answers["https"]["mode"] == "reverse-proxy"
    nginx = next((i for i, (_, commands) in enumerate(steps) if any(c.split("  #")[0] == "nginx -t" for c in commands)), None)
    restart = next(i for i, (title, _) in enumerate(steps) if title.startswith("Restart Orthanc"))
    for index, (title, commands) in enumerate(steps):
        for command in commands:
            if command.endswith("  # live now if Orthanc asks a login today"):
                continue  # the proxy's gate asks the Orthanc running today, on purpose
            if command.startswith("curl ") and orthanc in command or command.startswith("echoscu "):
                assert index == restart, (title, command)  # right after the restart on the new files
            if proxied and command.startswith("curl ") and answers["https"]["server_name"] in command:
                assert nginx is not None and index >= nginx, (title, command)  # nginx is installed first


def _runnable(raw: dict, folder) -> dict:
    """raw with free ports, and a self-signed certificate where it has DICOM TLS."""
    runnable = with_ports(raw, free_port(), free_port())
    tls = runnable.get("dicom", {}).get("tls", {})
    if tls.get("enabled"):
        cert, key = make_certificate(folder / "tls", "dicom")
        tls.update(certificate=str(cert), private_key=str(key), trusted_certificates=str(cert))
    return runnable


@pytest.mark.parametrize("name", PROFILES)
def test_the_last_steps_checks_answer_as_they_say_on_the_real_orthanc(name, tmp_path, start_orthanc):
    require_tool("curl"), require_tool("echoscu")
    runnable = _runnable(PROFILES[name], tmp_path)
    out = apply_profile(runnable, tmp_path / "run")
    start_orthanc(out)
    passwords = json.loads((out / "orthanc.json").read_text()).get("RegisteredUsers", {})
    _, commands = next(step for step in steps_of(runnable) if step[0].startswith("Restart Orthanc"))
    # After the restart (and nginx's reload), which the test's own start of Orthanc stands for.
    checks = [line for line in commands if not line.startswith("systemctl ")]
    ran = 0
    for line in checks:
        command, expected = line.split("  # ", 1)
        words = shlex.split(command)
        if words[0] == "curl" and "-sfu" in words:  # the login: the password the admin would type
            user = words[words.index("-sfu") + 1]
            words[words.index("-sfu") + 1] = f"{user}:{passwords[user]}"
        done = subprocess.run(words, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        said = done.stdout + done.stderr
        if "-sfu" in words:
            assert done.returncode == 0 and "Version" in json.loads(done.stdout), (line, said)
        elif words[0] == "curl":
            assert said.strip() == expected.split(":")[0], (line, said)
        else:
            assert expected.split(" (")[0] in said, (line, said)
        ran += 1
    assert ran == len(checks) and ran >= 1
    logins = [c for c in checks if c.startswith("curl -sfu ")]
    users = runnable.get("authentication", {}).get("users", [])
    assert bool(logins) == any(not u.get("from") or "127.0.0.1/32" in u["from"] for u in users), checks
