"""`orthanc-harden apply`: replay a preset or profile headless, write what changed."""

from __future__ import annotations

import sys
from pathlib import Path

from wizard import cli, harden, jsonc, outputs, profile
from wizard.errors import BadInput, Problem
from wizard.orthanc.files import write_atomic


def run(args) -> int:
    raw, name = profile.load(args.preset)
    if args.orthanc_version:
        raw = {**raw, "orthanc_version": args.orthanc_version}
        problems = profile.validate(raw, f"--orthanc-version {args.orthanc_version}")
        if problems:
            raise BadInput(problems)
    answers = profile.effective(raw)
    out_dir = Path(args.out) if args.out else cli.default_out()
    existing = previous_config(out_dir)
    plan = harden.plan(answers, name, existing)
    plan.secrets.update(existing_secrets(existing))
    found = outputs.changes(plan, out_dir)
    if args.diff:
        sys.stdout.write(outputs.diff(found, plan.secrets))
    if not args.check:
        outputs.write(found, out_dir)
        hand_over(plan.generated, args.secrets_file)
    report(args, plan, found, out_dir)
    return 1 if args.check and found else 0


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
    users = config.get("RegisteredUsers")
    found = {v for v in users.values() if isinstance(v, str)} if isinstance(users, dict) else set()
    peers = config.get("OrthancPeers")
    for peer in peers.values() if isinstance(peers, dict) else ():
        if isinstance(peer, dict) and isinstance(peer.get("Password"), str):
            found.add(peer["Password"])
        elif isinstance(peer, list) and len(peer) >= 3 and isinstance(peer[2], str):
            found.add(peer[2])
    return found


def hand_over(generated: dict[str, str], secrets_file: str | None) -> None:
    """Show generated passwords once: on a terminal, or in a 0600 file; never in a log."""
    if not generated:
        return
    lines = "".join(f"{who}: {password}\n" for who, password in generated.items())
    if secrets_file:
        write_atomic(Path(secrets_file), lines.encode("utf-8"), 0o600)
    elif sys.stdout.isatty():
        sys.stdout.write("Generated passwords (shown once, keep them safe):\n" + lines)


def report(args, plan: harden.Plan, found: list, out_dir: Path) -> None:
    for warning in plan.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    changed = [c.name for c in found]
    if args.json:
        cli.emit_json({"out": str(out_dir), "changed": changed, "check": args.check,
                       "warnings": plan.warnings, "generated": sorted(plan.generated)})
        return
    verb = "would change" if args.check else "wrote"
    print(f"{verb}: {', '.join(changed)}" if changed else f"{out_dir}: nothing to change")
    if plan.generated and not args.secrets_file and not sys.stdout.isatty() and not args.check:
        names = ", ".join(sorted(plan.generated))
        print(f"generated passwords for {names}: they are in {out_dir / harden.CONFIG_FILE} "
              "(not printed, since this output may be logged)")
    if not args.check:
        print(f"next: the manual steps in {out_dir / harden.CHECKLIST_FILE}")
