"""The command line. Headless commands never import the Textual or questionary front ends."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wizard import __version__
from wizard.commands import DEFAULT_OUT
from wizard.errors import BadInput
from wizard.topics.base import SEVERITIES

CONFIG_HELP = ("edit this configuration: an orthanc.json, a configuration folder, or a compose file "
               "(or a folder holding one) whose service runs Orthanc")
SERVICE_HELP = "the compose service that runs Orthanc, when the compose file has several"


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="orthanc-harden", description="Harden an Orthanc server's configuration.")
    root.add_argument("--version", action="version", version=f"orthanc-harden {__version__}")
    root.add_argument("--config", metavar="PATH", help=CONFIG_HELP)
    root.add_argument("--service", metavar="NAME", help=SERVICE_HELP)
    root.add_argument("--preset", metavar="P", help="start from this preset or profile")
    root.add_argument("--out", metavar="DIR", help=f"output folder (default: ./{DEFAULT_OUT}/, or --config in place)")
    root.add_argument("--plain", action="store_true", help="ask line by line instead of the full-screen wizard")
    _answer_options(root)
    commands = root.add_subparsers(dest="command", metavar="COMMAND")
    apply = commands.add_parser("apply", help="write a hardened configuration from a preset or profile, headless")
    apply.add_argument("--preset", metavar="P", help="a shipped preset's name or a profile file; without it, "
                                                   "--config with --set changes only what the --set answers change")
    apply.add_argument("--config", metavar="PATH", help=CONFIG_HELP)
    apply.add_argument("--service", metavar="NAME", help=SERVICE_HELP)
    apply.add_argument("--deployment", choices=("files", "compose"), default="files",
                       help="without --config: write a configuration folder (files, the default) or a compose "
                            "deployment of the orthancteam/orthanc image (compose)")
    apply.add_argument("--out", metavar="DIR", help=f"output folder (default: ./{DEFAULT_OUT}/, or --config in place)")
    apply.add_argument("--check", action="store_true", help="write nothing; exit 1 if something would change")
    apply.add_argument("--diff", action="store_true", help="show a unified diff of each file (secrets masked)")
    apply.add_argument("--orthanc-version", metavar="X.Y.Z", help="the Orthanc release to write for")
    apply.add_argument("--orthanc-build", choices=("debian", "upstream"),
                       help="who built that Orthanc (default: the profile's orthanc_build, else debian, "
                            "for which native HTTPS is refused: it crashes)")
    apply.add_argument("--secrets-file", metavar="FILE", help="write generated passwords to FILE (mode 0600)")
    apply.add_argument("--json", action="store_true", help="print the result as JSON")
    apply.add_argument("--replace-filter", action="store_true",
                       help="with --config: use orthanc-harden's access filter even if a listed Lua script has one")
    _answer_options(apply)
    commands.add_parser("presets", help="list the shipped presets")
    _audit_parser(commands)
    _probe_parser(commands)
    _verify_parser(commands)
    _show_parser(commands)
    return root


def _show_parser(commands) -> None:
    show = commands.add_parser("show", help="the configuration Orthanc reads, passwords masked")
    show.add_argument("path", metavar="PATH", help="an orthanc.json, a configuration folder, or a compose file "
                                                   "(or a folder holding one)")
    show.add_argument("--service", metavar="NAME", help=SERVICE_HELP)
    show.add_argument("--origin", action="store_true", help="name each key's source: file and line, compose "
                                                             "variable, secret, or the image's default")
    show.add_argument("--format", choices=("text", "json"), default="text", help="output (default: text)")


def _verify_parser(commands) -> None:
    verify = commands.add_parser("verify", help="prove what apply wrote on the real Orthanc (127.0.0.1, temporary storage)")
    verify.add_argument("dir", metavar="DIR", help="the folder apply wrote: the configuration and orthanc-harden.jsonc "
                                                   "(or a compose deployment apply wrote or edited)")
    verify.add_argument("--service", metavar="NAME", help=SERVICE_HELP)
    verify.add_argument("--orthanc", metavar="BINARY", default="Orthanc", help="the Orthanc to run (default: Orthanc on PATH)")
    verify.add_argument("--format", choices=("text", "json"), default="text", help="output (default: text)")
    verify.add_argument("--secrets-file", metavar="FILE",
                        help="apply's --secrets-file: check generated users with the passwords handed over")


def _probe_parser(commands) -> None:
    probe = commands.add_parser("probe", help="look at a running Orthanc from outside, as a stranger would")
    probe.add_argument("url", metavar="URL", nargs="?", default="http://127.0.0.1:8042",
                       help="its REST API (default: http://127.0.0.1:8042); probe only servers you may probe")
    probe.add_argument("--dicom", metavar="HOST:PORT", help="its DICOM port (default: DicomPort of /etc/orthanc, if any)")
    probe.add_argument("--aet", metavar="AET", help="its AET (default: DicomAet of /etc/orthanc, else ORTHANC)")
    probe.add_argument("--dicom-web", metavar="ROOT", help="its DICOMweb root under URL (default: DicomWeb.Root of "
                       "/etc/orthanc, else /dicom-web)")
    probe.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="output (default: text)")
    probe.add_argument("--fail-on", choices=SEVERITIES, default="high", metavar="SEVERITY",
                       help="exit 1 when a finding is at least this severe (default: high)")


def _audit_parser(commands) -> None:
    audit = commands.add_parser("audit", help="judge an existing configuration: findings, worst first")
    audit.add_argument("path", metavar="PATH", help="an orthanc.json, a configuration folder (read as Orthanc reads "
                                                    "it), or a compose file (or a folder holding one)")
    audit.add_argument("--service", metavar="NAME", help=SERVICE_HELP)
    audit.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="output (default: text)")
    audit.add_argument("--fail-on", choices=SEVERITIES, default="high", metavar="SEVERITY",
                       help="exit 1 when a finding is at least this severe: " + ", ".join(SEVERITIES) + " (default: high)")
    audit.add_argument("--orthanc-version", metavar="X.Y.Z", help="the release to judge (default: `Orthanc --version`)")
    audit.add_argument("--waivers", metavar="FILE", help="'ID: reason' lines: findings shown as waived, never counted")


def _answer_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--set", action="append", metavar="KEY=VALUE", dest="sets",
                         help="one answer by its dotted id, on top of the preset (repeatable): "
                              "--set https.server_name=pacs.hospital.org")
    command.add_argument("--keep-weak-passwords", action="store_true",
                         help="with --config: keep well-known passwords (orthanc, demo...) instead of generating new ones")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "apply":
            from wizard.commands.apply import run
            return run(args)
        if args.command == "presets":
            from wizard.commands.presets import run
            return run()
        if args.command == "audit":
            from wizard.commands.audit import run
            return run(args)
        if args.command == "probe":
            from wizard.commands.probe import run
            return run(args)
        if args.command == "show":
            from wizard.commands.show import run
            return run(args)
        if args.command == "verify":
            from wizard.commands.verify import run
            return run(args)
        if args.command is None:
            from wizard.commands.interactive import run
            return run(args)
    except BadInput as error:
        print(str(error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    raise AssertionError(f"unhandled command {args.command}")

