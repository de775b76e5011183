"""Every ufw command of the checklists is one ufw accepts, checked with the real ufw (--dry-run)."""

from __future__ import annotations

import re
import subprocess

import pytest

from wizard import harden, profile

from .profiles import load_preset, preset_names, require_tool

MODALITIES = [{"name": "ct", "aet": "CT", "host": "10.1.2.3", "port": 104, "allow": ["store"]},
              {"name": "far", "aet": "FAR", "host": "172.20.0.9", "port": 104, "allow": ["store"]}]
PROFILES = {
    **{f"preset {name}": load_preset(name) for name in preset_names()},
    "unknown AETs welcome": {"network": {"remote_access": True, "allowed_networks": ["10.0.0.0/8"]},
                             "https": {"mode": "reverse-proxy"},
                             "authentication": {"users": [{"name": "a", "role": "admin"}]},
                             "dicom": {"always_allow_echo": True, "modalities": MODALITIES}},
    "modalities by name": {"dicom": {"check_modality_host": False, "modalities": [
        {"name": "ct", "aet": "CT", "host": "ct.example.org", "port": 104, "allow": ["store"]}]}},
    "open to all": {"network": {"remote_access": True}, "https": {"mode": "reverse-proxy"},
                    "authentication": {"users": [{"name": "a", "role": "admin"}]},
                    "dicom": {"always_allow_store": True}},
}
_BLOCK = re.compile(r"```sh\n(.*?)\n```", re.S)


def firewall_blocks(raw: dict) -> list[list[str]]:
    """The ufw commands of each command block of the checklist written for raw, comments cut."""
    text = harden.plan(profile.effective(raw), "p.jsonc").files["CHECKLIST.md"].text
    blocks = [[line.split("  #")[0] for line in block.splitlines() if line.startswith("ufw ")]
              for block in _BLOCK.findall(text)]
    return [block for block in blocks if block]


@pytest.mark.parametrize("name", PROFILES)
def test_every_ufw_line_is_accepted_by_ufw(name):
    ufw = require_tool("ufw")
    blocks = firewall_blocks(PROFILES[name])
    assert blocks, "each of these profiles has a firewall step"
    for line in {line for block in blocks for line in block}:
        if line == "ufw allow OpenSSH":
            continue  # an application profile that openssh-server installs; not on this machine
        done = subprocess.run([ufw, "--dry-run", *line.split()[1:]], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, (line, done.stdout + done.stderr)


@pytest.mark.parametrize("name", PROFILES)
def test_ssh_is_allowed_before_any_block_enables_the_firewall(name):
    # Enabling ufw drops every connection not allowed: the admin's SSH session first.
    for block in firewall_blocks(PROFILES[name]):
        if "ufw enable" in block:
            assert "ufw allow OpenSSH" in block[:block.index("ufw enable")], block
