"""The headless path never imports the front ends (they cost ~250 ms and need a terminal)."""

import json
import subprocess
import sys
from pathlib import Path

FRONT_ENDS = ("textual", "questionary", "prompt_toolkit")
DEBIAN = Path(__file__).resolve().parents[1] / "data" / "configs" / "debian-1.10.1"

PROBE = """
import json, sys
from wizard import cli
code = cli.main(sys.argv[1:])
loaded = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def run_headless(*argv) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=False)
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_apply_does_not_import_textual_or_questionary(tmp_path):
    result = run_headless("apply", "--preset", "intranet", "--set", "https.server_name=pacs.test", "--out", str(tmp_path / "o"))
    assert result["code"] == 0
    assert not set(FRONT_ENDS) & set(result["loaded"])


def test_presets_does_not_import_textual_or_questionary():
    result = run_headless("presets")
    assert result["code"] == 0 and not set(FRONT_ENDS) & set(result["loaded"])


def test_probe_does_not_import_textual_or_questionary():
    result = run_headless("probe", "http://127.0.0.1:1", "--dicom", "127.0.0.1:1")  # nothing answers: exit 2
    assert result["code"] == 2 and not set(FRONT_ENDS) & set(result["loaded"])


def test_verify_does_not_import_textual_or_questionary(tmp_path):
    out = tmp_path / "o"
    assert run_headless("apply", "--preset", "intranet", "--set", "https.server_name=pacs.test", "--out", str(out))["code"] == 0
    result = run_headless("verify", str(out))  # the real Orthanc on 127.0.0.1, every row sent
    assert result["code"] == 0 and not set(FRONT_ENDS) & set(result["loaded"])
    assert "pynetdicom" in result["loaded"]


def test_audit_does_not_import_textual_or_questionary():
    for output in ("text", "json", "sarif"):
        result = run_headless("audit", str(DEBIAN), "--format", output)
        assert result["code"] in (0, 1) and not set(FRONT_ENDS) & set(result["loaded"])


def test_the_core_modules_import_without_the_front_ends():
    modules = ["wizard.cli", "wizard.harden", "wizard.profile", "wizard.workflow", "wizard.topics",
               "wizard.orthanc.policy", "wizard.orthanc.lua", "wizard.checklist", "wizard.commands.verify"]
    code = f"import sys; import {', '.join(modules)}; print(sorted(m for m in sys.modules if m.split('.')[0] in {FRONT_ENDS!r}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
