"""`orthanc-harden show PATH`: the configuration Orthanc reads from a file, a folder or a compose
service, passwords masked; `--origin` names each key's source."""

from __future__ import annotations

import sys
from pathlib import Path

from wizard import showing, sources


def run(args) -> int:
    config = sources.read(Path(args.path), args.service)  # BadInput (exit 2) names the file and the place
    for note in config.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(showing.as_json(config, args.origin))
        return 0
    if (reason := showing.stop_reason(config)) is not None:
        print(f"stops: {reason}")
        return 0
    sys.stdout.write(showing.text(config, args.origin))
    return 0
