"""`orthanc-harden audit PATH`: judge a configuration as Orthanc reads it; exit 1 when a finding reaches --fail-on."""

from __future__ import annotations

import sys
from pathlib import Path

from wizard import findings
from wizard.audit import as_json, host, report, sarif, text, waivers
from wizard import sources

RENDER = {"text": text.render, "json": as_json.render, "sarif": sarif.render}


def run(args) -> int:
    config = sources.read(Path(args.path), args.service)  # BadInput (exit 2) names the file and the place
    waived = waivers.read(Path(args.waivers), findings.RULES) if args.waivers else {}
    if sources.is_compose(config):
        target = host.of_image(args.orthanc_version, config.deployment)
    else:
        target = host.target(args.orthanc_version)
    result = report.audit(config, target, waived, args.fail_on)
    for note in config.notes:
        print(f"note: {note}", file=sys.stderr)
    sys.stdout.write(RENDER[args.format](result))
    return 1 if result.failed else 0
