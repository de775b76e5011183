"""`orthanc-harden verify DIR`: start the real Orthanc on 127.0.0.1 with what apply wrote in DIR (free
ports, temporary storage) and check the saved answers' access policy end to end; exit 1 when a row fails."""

from __future__ import annotations

import sys
from pathlib import Path

from wizard.orthanc import installed
from wizard.verify import render, server, session, target
from wizard.verify.progress import Progress


def run(args) -> int:
    program = server.binary(args.orthanc)  # BadInput (exit 2) says how to install it
    checked = target.read(Path(args.dir), Path(args.secrets_file) if args.secrets_file else None,
                          service=args.service)
    for note in checked.notes:
        print(f"note: {note}", file=sys.stderr)
    release = installed.release(program)
    progress = Progress()
    try:
        outcome = session.verify(checked, program, progress)
    finally:
        progress.done()
    if args.format == "json":
        sys.stdout.write(render.as_json(outcome, args.dir, release, program))
    else:
        sys.stdout.write(render.text(outcome, args.dir, release))
    return 1 if outcome.failed else 0
