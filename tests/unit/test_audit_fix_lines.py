"""The audit's fix lines are commands that run as printed, from where the admin is, and change that
finding's option and nothing else: `apply --config FILE --set KEY=VALUE` without --preset edits only
what the --set answers change (wizard/only_sets.py)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wizard import cli
from wizard.audit import fixes
from wizard.orthanc import config_files

CORPUS = Path(__file__).resolve().parents[1] / "data" / "configs" / "corpus"
FILES = ("07-digihunch-orthanc-auth-demo.json", "28-Kter1317-pacs-honeypot.json", "21-Donders-Institute-dicom-dataflow.json")
# Answers that own more than the finding's one option: what else they may change.
COMPANIONS = {"https.mode": {"RemoteAccessAllowed", "SslEnabled", "HttpBindAddresses", "OrthancHardenProxySecret"},
              "authentication.enabled": {"RegisteredUsers"}}


def fix_lines(config: Path) -> dict[str, set[str]]:
    """Each fix: line of the text audit that is a command, as printed, with the options of the
    findings it fixes (from the JSON audit of the same file)."""
    def audit(*extra: str) -> str:
        done = subprocess.run([sys.executable, "-m", "wizard", "audit", config.name, "--orthanc-version", "1.12.11",
                               *extra], cwd=config.parent, capture_output=True, text=True, timeout=120)
        assert done.returncode in (0, 1), done.stderr
        return done.stdout
    printed = {line.strip()[len("fix: "):] for line in audit().splitlines() if line.strip().startswith("fix: ")}
    options: dict[str, set[str]] = {}
    for finding in json.loads(audit("--format", "json"))["findings"]:
        if finding["fix"]["command"]:
            options.setdefault(finding["fix"]["command"], set()).add(finding["option"])
    assert set(options) <= printed  # the text prints the very commands
    return options


@pytest.mark.parametrize("name", FILES)
def test_each_printed_fix_line_runs_and_changes_only_its_finding_s_option(name, tmp_path):
    source = CORPUS / name
    lines = fix_lines(source)
    assert lines, "this file has findings an answer fixes"
    for line, options in lines.items():
        config = tmp_path / name
        shutil.copy(source, config)
        before = config_files.read(config).values
        words = shlex.split(line.replace(f"--config {name}", f"--config {config}"))
        done = subprocess.run(words, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        if "https.mode=reverse-proxy" in line:  # the proxy needs the site's name: refused, saying how to give it
            assert done.returncode == 2 and "--set https.server_name=" in done.stderr, (line, done.stderr)
            done = subprocess.run([*words, "--set", "https.server_name=pacs.test"], cwd=tmp_path,
                                  capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (line, done.stderr)
        after = config_files.read(config).values
        changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
        answers = [word.split("=")[0] for word in words if "=" in word and not word.startswith("-")]
        companions = {key for answer in answers for key in COMPANIONS.get(answer, ())}
        assert changed and changed <= options | companions, (line, changed, options)
        assert not (tmp_path / "CHECKLIST.md").exists()  # no earlier run's answers here: no report either
        for leftover in tmp_path.iterdir():
            leftover.unlink()


def test_without_preset_or_set_apply_refuses_naming_both(tmp_path, capsys):
    config = tmp_path / "orthanc.json"
    shutil.copy(CORPUS / FILES[0], config)
    assert cli.main(["apply", "--config", str(config)]) == 2
    assert "--set to change only those answers" in capsys.readouterr().err


def test_the_program_is_named_as_the_admin_can_run_it_again(tmp_path, monkeypatch):
    installed = tmp_path / "venv" / "bin" / "orthanc-harden"
    installed.parent.mkdir(parents=True)
    installed.write_text("#!/bin/sh\n")
    installed.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(installed), "audit"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # as after scripts/run.sh: .venv/bin is not on PATH
    assert fixes.program() == str(installed)
    monkeypatch.setenv("PATH", f"{installed.parent}{os.pathsep}/usr/bin")
    assert fixes.program() == "orthanc-harden"
    monkeypatch.setattr(sys, "argv", ["/somewhere/wizard/__main__.py"])  # python -m wizard
    assert fixes.program() == f"{shlex.quote(sys.executable)} -m wizard"


def test_a_compose_service_s_fix_names_the_wizard_and_its_service_and_a_probed_server_s_names_none():
    from wizard.topics.network import REMOTE_WITHOUT_AUTHENTICATION
    finding = REMOTE_WITHOUT_AUTHENTICATION.found("AuthenticationEnabled", "remote access without authentication")
    line = fixes.command(finding, "site/docker-compose.yml", "orthanc")
    assert line.endswith("--config site/docker-compose.yml --service orthanc  # the wizard: set "
                         "authentication.enabled=true, read the review, write") and " apply " not in line
    assert fixes.command(finding, "http://127.0.0.1:8042") is None  # probe: no file here to edit
