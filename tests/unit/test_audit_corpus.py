"""Audit of thirty configurations written by other people: no traceback, and what they hide is said."""

import json
import subprocess
import sys

import pytest

from tests.edit_support import BROKEN, CORPUS


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:2])
def test_each_corpus_file_is_audited_or_refused_naming_file_and_place(run_cli, path):
    code, out, err = run_cli("audit", path, "--orthanc-version", "1.10.1", "--format", "json")
    if path.name[:2] in BROKEN:
        assert (code, out) == (2, "")
        assert err.startswith(f"{path}: $") and BROKEN[path.name[:2]] in err and " at line " in err
    else:
        assert code in (0, 1), err
        assert json.loads(out)["findings"]


def test_a_broken_file_gets_one_message_and_no_traceback():
    path = next(p for p in CORPUS if p.name.startswith("03"))
    done = subprocess.run([sys.executable, "-m", "wizard", "audit", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr and "line 6, column 50" in done.stderr


# "AuthenticationEnabled": true edited inside the sample's /** ... **/ block (MANIFEST.md).
@pytest.mark.parametrize("number", ["26", "28", "29"])
def test_a_setting_enabled_only_inside_a_comment_is_found(run_cli, number):
    path = next(p for p in CORPUS if p.name.startswith(number))
    _, out, _ = run_cli("audit", path, "--format", "json")
    found = [f for f in json.loads(out)["findings"] if f["id"] == "OH-FILE-001"]
    assert [f["option"] for f in found] == ["AuthenticationEnabled"]
    line = path.read_text().splitlines()[found[0]["line"] - 1]
    assert line.strip() == '"AuthenticationEnabled" : true,'


def test_orthanc_s_own_commented_sample_lines_are_not_findings(run_cli):
    path = next(p for p in CORPUS if p.name.startswith("18"))  # a near-verbatim stock sample
    _, out, _ = run_cli("audit", path, "--format", "json")
    assert "OH-FILE-001" not in {f["id"] for f in json.loads(out)["findings"]}


@pytest.mark.parametrize("number, option, guess", [("08", "LuaScript", "LuaScripts"),
                                                   ("20", "RemoteAccessEnabled", "RemoteAccessAllowed")])
def test_a_misspelled_option_is_found_with_what_was_meant(run_cli, number, option, guess):
    path = next(p for p in CORPUS if p.name.startswith(number))
    _, out, _ = run_cli("audit", path, "--format", "json")
    found = [f for f in json.loads(out)["findings"] if f["id"] == "OH-FILE-002" and f["option"] == option]
    assert len(found) == 1 and f"did you mean {guess}?" in found[0]["message"]
