"""A warning when the configuration targets another Orthanc release than the one installed here."""

from __future__ import annotations

import shutil

import pytest

from wizard.orthanc import installed


def test_the_release_of_debians_orthanc_is_read_from_the_binary():
    if shutil.which("Orthanc") is None:
        pytest.fail("Orthanc is not installed: scripts/test.sh installs Debian's package")
    assert installed.release() == "1.10.1"  # Debian 12's, which the tests run


def test_a_target_newer_than_the_installed_orthanc_is_warned_about(run_cli, tmp_path):
    # internet-proxy targets 1.12.11: Debian's 1.10.1 would ignore HttpBindAddresses silently.
    code, out, err = run_cli("apply", "--preset", "internet-proxy", "--set", "https.server_name=pacs.test", "--out", tmp_path / "out")
    assert code == 0
    assert ("warning: this host runs Orthanc 1.10.1, older than the target 1.12.11: it ignores the options "
            "of newer releases without a word") in err
    code, out, err = run_cli("apply", "--preset", "internet-proxy", "--set", "https.server_name=pacs.test", "--out", tmp_path / "same",
                             "--orthanc-version", "1.10.1")
    assert "this host runs" not in err


def test_an_older_target_than_a_newer_orthanc_says_what_is_left_out(run_cli, tmp_path, monkeypatch):
    # No other release can be installed here: a stand-in prints what Orthanc 1.12.11 prints.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in = bin_dir / "Orthanc"
    stand_in.write_text('#!/bin/sh\necho "$0 1.12.11"\necho "Copyright (C) 2017-2026"\n')
    stand_in.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    code, out, err = run_cli("apply", "--preset", "localhost", "--out", tmp_path / "out")
    assert code == 0
    assert ("warning: this host runs Orthanc 1.12.11, newer than the target 1.10.1: the options of releases "
            "after 1.10.1 are left out; set orthanc_version (--orthanc-version 1.12.11)") in err


def test_no_orthanc_or_a_mainline_build_gives_no_warning_and_the_same_files(run_cli, tmp_path, monkeypatch):
    run_cli("apply", "--preset", "localhost", "--out", tmp_path / "here")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "Orthanc").write_text('#!/bin/sh\necho "$0 mainline"\n')
    (bin_dir / "Orthanc").chmod(0o755)
    for path in (f"{bin_dir}:/usr/bin:/bin", "/usr/bin:/bin"):  # a mainline build, then none at all
        monkeypatch.setenv("PATH", path)
        assert installed.release() is None
        code, out, err = run_cli("apply", "--preset", "localhost", "--out", tmp_path / "here")
        assert code == 0 and "this host runs" not in err and "nothing to change" in out  # same bytes
