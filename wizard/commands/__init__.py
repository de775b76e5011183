"""One module per headless command; each returns an exit status. What several commands share
lives here, so that the commands never import the command line (`wizard.cli`) back."""

from __future__ import annotations

import json
from pathlib import Path

DEFAULT_OUT = "orthanc-hardened"  # the folder a run writes when neither --out nor --config names one


def default_out() -> Path:
    return Path(DEFAULT_OUT)


def emit_json(data: dict) -> None:
    print(json.dumps(data, indent=2, sort_keys=True))
