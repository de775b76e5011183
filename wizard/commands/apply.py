"""`orthanc-harden apply`: replay a preset or profile headless, write what changed."""

from __future__ import annotations

import sys
from pathlib import Path

from wizard import cli, harden, profile, workflow
from wizard.errors import BadInput, Problem
from wizard.orthanc.files import write_atomic


def run(args) -> int:
    if args.config:
        raise BadInput(Problem(args.config, "$", "editing an existing configuration is not built yet"))
    raw, name = profile.load(args.preset)
    if args.orthanc_version:
        raw = {**raw, "orthanc_version": args.orthanc_version}
        problems = profile.validate(raw, f"--orthanc-version {args.orthanc_version}")
        if problems:
            raise BadInput(problems)
    out_dir = Path(args.out) if args.out else cli.default_out()
    prepared = workflow.prepare(profile.effective(raw), name, out_dir)
    if args.diff:
        sys.stdout.write(prepared.diff())
    if not args.check:
        prepared.write()
        hand_over(prepared.plan.generated, args.secrets_file)
    report(args, prepared)
    return 1 if args.check and prepared.changes else 0


def hand_over(generated: dict[str, str], secrets_file: str | None) -> None:
    """Show generated passwords once: on a terminal, or in a 0600 file; never in a log."""
    if not generated:
        return
    lines = "".join(f"{who}: {password}\n" for who, password in generated.items())
    if secrets_file:
        write_atomic(Path(secrets_file), lines.encode("utf-8"), 0o600)
    elif sys.stdout.isatty():
        sys.stdout.write("Generated passwords (shown once, keep them safe):\n" + lines)


def report(args, prepared: workflow.Prepared) -> None:
    plan, out_dir = prepared.plan, prepared.out_dir
    for warning in plan.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    changed = [c.name for c in prepared.changes]
    if args.json:
        cli.emit_json({"out": str(out_dir), "changed": changed, "check": args.check,
                       "warnings": plan.warnings, "generated": sorted(plan.generated)})
        return
    verb = "would change" if args.check else "wrote"
    print(f"{verb}: {', '.join(changed)}" if changed else f"{out_dir}: nothing to change")
    if plan.generated and not args.secrets_file and not sys.stdout.isatty() and not args.check:
        print(f"generated passwords for {', '.join(sorted(plan.generated))}: they are in "
              f"{out_dir / harden.CONFIG_FILE} (not printed, since this output may be logged)")
    if not args.check:
        print(f"next: the manual steps in {out_dir / harden.CHECKLIST_FILE}")
