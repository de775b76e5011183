"""The real Orthanc 1.10.1 does what the release warnings say: it stops on a value it does not
know, ignores an option it does not know without a word, and documents the options the table gives it."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from wizard import cli
from wizard.orthanc import installed, releases
from wizard.versions import parse

from .orthanc_server import OrthancStartError, free_port, running_orthanc

ORTHANC_BINARY = os.environ.get("ORTHANC_BINARY", "/usr/sbin/Orthanc")

# A top-level key of Orthanc's sample configuration, set or commented out ("/**" blocks are at 5).
_SAMPLE_KEY = re.compile(r'^(?:  |     )(?://\s*|/\*+\s*)?"([A-Za-z0-9_]+)"\s*:', re.MULTILINE)


def config_with(folder: Path, settings: dict) -> Path:
    folder.mkdir()
    (folder / "orthanc.json").write_text(json.dumps({"HttpPort": free_port(), "DicomPort": free_port(), **settings}))
    return folder


def warnings_of_an_edit(capsys, folder: Path, *argv) -> list[str]:
    assert cli.main(["apply", "--preset", "localhost", "--config", str(folder), *argv]) in (0, 1)
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning: ")]


def test_1_10_1_refuses_to_start_on_a_2023b_table_and_the_edit_warns_of_that_key(tmp_path, capsys):
    folder = config_with(tmp_path / "config", {"DeidentifyLogsDicomVersion": "2023b"})
    with pytest.raises(OrthancStartError, match="exited") as refused:
        with running_orthanc(folder, tmp_path, graceful=False):
            pass
    assert "Unknown specific version of the DICOM standard: 2023b" in str(refused.value)

    warnings = warnings_of_an_edit(capsys, folder)
    assert [w for w in warnings if "DeidentifyLogsDicomVersion" in w] == [
        f'warning: {folder / "orthanc.json"}: $.DeidentifyLogsDicomVersion: "2023b" is new in Orthanc 1.12.1 '
        '(Orthanc 1.10.1 takes "2008", "2017c", "2021b"): Orthanc 1.10.1 refuses to start']
    with pytest.raises(OrthancStartError, match="exited"):  # the edit keeps the value, as it said
        with running_orthanc(folder, tmp_path, graceful=False):
            pass


def test_1_10_1_reads_no_table_while_deidentification_is_off_and_nothing_is_said(tmp_path, capsys):
    folder = config_with(tmp_path / "config", {"DeidentifyLogs": False, "DeidentifyLogsDicomVersion": "2023b"})
    with running_orthanc(folder, tmp_path, graceful=False):
        pass
    # The edit turns de-identification on (hardened default): then the table is read, and said.
    assert any("$.DeidentifyLogsDicomVersion" in w for w in warnings_of_an_edit(capsys, folder, "--check"))
    profile = tmp_path / "identified.json"
    profile.write_text('{"extends": "localhost", "logs": {"deidentify": false}}')
    assert cli.main(["apply", "--preset", str(profile), "--config", str(folder), "--check"]) in (0, 1)
    assert "DeidentifyLogsDicomVersion" not in capsys.readouterr().err


def test_1_10_1_ignores_http_bind_addresses_without_a_word_and_the_edit_says_so(tmp_path, capsys):
    folder = config_with(tmp_path / "config", {"HttpBindAddresses": ["127.0.0.2"]})
    # Started means it answered on 127.0.0.1: the address list was not applied.
    with running_orthanc(folder, tmp_path, graceful=False) as orthanc:
        assert "HttpBindAddresses" not in orthanc.log_text()
    assert f"warning: {folder / 'orthanc.json'}: $.HttpBindAddresses: new in Orthanc 1.12.10: " \
           "Orthanc 1.10.1 ignores it silently" in warnings_of_an_edit(capsys, folder, "--check")


def test_the_installed_release_documents_exactly_the_options_the_table_gives_it(tmp_path):
    release = installed.release(ORTHANC_BINARY)
    assert release is not None and parse(release) <= releases.NEWEST, release
    sample = tmp_path / "sample.json"
    subprocess.run([ORTHANC_BINARY, f"--config={sample}"], check=True, capture_output=True, timeout=30)
    documented = set(_SAMPLE_KEY.findall(sample.read_text()))
    assert documented == {option for option in releases.SINCE if releases.knows(option, parse(release))}
