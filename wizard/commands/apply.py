"""`orthanc-harden apply`: replay a preset or profile headless, write what changed."""

from __future__ import annotations

import sys
from pathlib import Path

from wizard import harden, notes, only_sets, overrides, profile, residual, workflow
from wizard.audit import host
from wizard.commands import default_out, emit_json
from wizard.errors import BadInput, Problem
from wizard.orthanc.files import write_atomic


def run(args) -> int:
    config = Path(args.config) if args.config else None
    overrides = overrides_of(args)
    out_dir = Path(args.out) if args.out else (config_folder(config) if config else default_out())
    _refuse_a_secrets_file_orthanc_would_read(args.secrets_file, out_dir)
    if args.deployment == "compose":
        prepared = new_compose(args, config, overrides, out_dir)
    else:
        # Without a preset only the --set answers change: what else the configuration holds is kept
        # as it is, even where the rules refuse it (the audit says so), as the wizard shows it.
        answers, imported, _ = workflow.starting_answers(args.preset, config, overrides, lenient=not args.preset,
                                                             keep_weak=args.keep_weak_passwords, service=args.service)
        only = _only(args, config, answers)
        prepared = workflow.prepare(answers, _profile_name(args.preset), out_dir, config=imported,
                                    replace_filter=args.replace_filter, only=only)
        if warning := upstream_said_on_a_debian_host(answers):
            prepared.plan.warnings.append(warning)
    if args.diff:
        sys.stdout.write(prepared.diff())
    if not args.check:
        prepared.write()
        hand_over(prepared.plan.generated, args.secrets_file)
    report(args, prepared, notes.told(prepared.plan.notes, written=not args.check))
    return 1 if args.check and prepared.changes else 0


def _profile_name(preset: str | None) -> str:
    return str(profile.locate(preset)) if preset else "(the configuration's own answers and --set)"


def _only(args, config: Path | None, answers: dict) -> list[str] | None:
    """Without --preset, the answers given with --set: the edit of --config then writes only what
    they change (only_sets), as the audit's fix lines expect. What the configuration holds against
    the rules is kept as it is (the audit says so), but what the --set answers break is refused:
    a TLS proxy without its server name, say."""
    if args.preset:
        return None
    if config is None or not args.sets:
        raise BadInput(Problem("--preset", "$", "give a preset or a profile (orthanc-harden presets), or --config "
                                                "with --set to change only those answers in that configuration"))
    release = {key: value for key, value in overrides_of(args).items() if key in ("orthanc_version", "orthanc_build")}
    before = workflow.starting_answers(None, config, release, lenient=True, keep_weak=args.keep_weak_passwords,
                                       service=args.service)[0]
    known = {(p.path, p.message) for p in profile.validate(before, str(config))}
    broken = [p for p in profile.validate(answers, "--set") if (p.path, p.message) not in known]
    if broken:
        raise BadInput(broken)
    return only_sets.dotted(overrides.parse(args.sets))


def new_compose(args, config: Path | None, overrides: dict, out_dir: Path) -> workflow.Prepared:
    """--deployment compose writes a new deployment; one that exists is edited with --config alone."""
    if config is not None:
        raise BadInput(Problem("--deployment", "$", "compose writes a new deployment into --out; to edit an "
                                                    "existing one, give --config without --deployment"))
    if not args.preset:
        raise BadInput(Problem("--preset", "$", "a new compose deployment starts from a preset or a profile "
                                                "(orthanc-harden presets)"))
    return workflow.prepare_new_compose(args.preset, overrides, out_dir)[1]


def overrides_of(args) -> dict:
    """The answers given on the command line: --set, --orthanc-version and --orthanc-build."""
    given = overrides.parse(args.sets)
    if getattr(args, "orthanc_version", None):
        given["orthanc_version"] = args.orthanc_version
    if getattr(args, "orthanc_build", None):
        given["orthanc_build"] = args.orthanc_build
    return given


def upstream_said_on_a_debian_host(answers: dict) -> str | None:
    """Native HTTPS allowed for an upstream build while this host's Orthanc is Debian's package
    (`dpkg -S`): the files stay as asked (they never depend on the host), a warning says it."""
    if answers["https"]["mode"] != "native" or answers["orthanc_build"] != "upstream":
        return None
    if host.debian_package() is not True:
        return None
    return ("orthanc_build is 'upstream', but the Orthanc of this host belongs to Debian's orthanc package, "
            "which crashes at the first native HTTPS request: if the configuration runs here, use "
            "https.mode 'reverse-proxy'")


def _refuse_a_secrets_file_orthanc_would_read(secrets_file: str | None, out_dir: Path) -> None:
    """Orthanc reads every *.json of its folder: a passwords file there would stop it."""
    if not secrets_file:
        return
    path = Path(secrets_file)
    if path.suffix.lower() == ".json" and path.parent.resolve() == out_dir.resolve():
        raise BadInput(Problem(str(path), "$", f"Orthanc reads every *.json of {out_dir}: a passwords file there "
                                               "would stop it; name it otherwise (secrets.txt) or keep it elsewhere"))


def config_folder(config: Path) -> Path:
    """Where an edit in place writes: the configuration folder, or the folder of the file."""
    return config if config.is_dir() else config.parent


def hand_over(generated: dict[str, str], secrets_file: str | None) -> None:
    """Show generated passwords once: on a terminal, or in a 0600 file; never in a log."""
    if not generated:
        return
    lines = "".join(f"{who}: {password}\n" for who, password in generated.items())
    if secrets_file:
        write_atomic(Path(secrets_file), lines.encode("utf-8"), 0o600)
    elif sys.stdout.isatty():
        sys.stdout.write("Generated passwords (shown once, keep them safe):\n" + lines)


def report(args, prepared: workflow.Prepared, notes: list[str]) -> None:
    plan, out_dir = prepared.plan, prepared.out_dir
    for warning in plan.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for line in residual.lines(plan.findings, str(out_dir)):
        print(f"finding: {line}", file=sys.stderr)
    changed = [c.name for c in prepared.changes]
    if args.json:
        emit_json({"out": str(out_dir), "changed": changed, "check": args.check, "notes": notes,
                       "warnings": plan.warnings, "generated": sorted(plan.generated),
                       "findings": [{"id": f.id, "severity": f.severity, "key": f.key, "message": f.message}
                                    for f in plan.findings],
                       "backups": [str(p) for p in prepared.backups]})
        return
    for note in notes:
        print(note)
    verb = "would change" if args.check else "wrote"
    print(f"{verb}: {', '.join(changed)}" if changed else f"{out_dir}: nothing to change")
    if prepared.backups:
        print(f"backups: {', '.join(p.name for p in prepared.backups)}")
    if plan.generated and not args.secrets_file and not sys.stdout.isatty() and not args.check:
        holders = [str(out_dir / name) for name, output in plan.files.items() if output.secret]
        print(f"generated passwords for {', '.join(sorted(plan.generated))}: they are in "
              f"{', '.join(holders)} (not printed, since this output may be logged)")
    if not args.check and harden.CHECKLIST_FILE in plan.files:
        print(f"next: the manual steps in {out_dir / harden.CHECKLIST_FILE}")
