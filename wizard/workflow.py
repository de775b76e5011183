"""The write path shared by `apply` and the interactive front ends: plan, compare, write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wizard import harden, jsonc, outputs
from wizard.errors import BadInput, Problem
from wizard.topics.base import Answers


@dataclass
class Prepared:
    """A run computed in full and checked, before anything is written."""

    plan: harden.Plan
    out_dir: Path
    changes: list[outputs.Change]

    def diff(self) -> str:
        return outputs.diff(self.changes, self.plan.secrets)

    def write(self) -> None:
        outputs.write(self.changes, self.out_dir)


def prepare(answers: Answers, profile_name: str, out_dir: Path) -> Prepared:
    """Plan a new configuration into out_dir, keeping the passwords an earlier run wrote there."""
    existing = previous_config(out_dir)
    plan = harden.plan(answers, profile_name, existing)
    plan.secrets.update(existing_secrets(existing))
    return Prepared(plan, out_dir, outputs.changes(plan, out_dir))


def previous_config(out_dir: Path) -> dict:
    """The orthanc.json written by an earlier run, whose passwords a new run keeps."""
    path = out_dir / harden.CONFIG_FILE
    if not path.is_file():
        return {}
    config = jsonc.load(path)
    if not isinstance(config, dict):
        raise BadInput(Problem(str(path), "$", "must hold a JSON object"))
    return config


def existing_secrets(config: dict) -> set[str]:
    """Every password an existing configuration holds, to mask them in diffs."""
    users = config.get("RegisteredUsers")
    found = {v for v in users.values() if isinstance(v, str)} if isinstance(users, dict) else set()
    peers = config.get("OrthancPeers")
    for peer in peers.values() if isinstance(peers, dict) else ():
        if isinstance(peer, dict) and isinstance(peer.get("Password"), str):
            found.add(peer["Password"])
        elif isinstance(peer, list) and len(peer) >= 3 and isinstance(peer[2], str):
            found.add(peer[2])
    return found
