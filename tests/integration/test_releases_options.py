"""The option tables (wizard/orthanc/options.py, what the tool writes; wizard/orthanc/releases.py,
the first release of every option) against the real 1.10.1, 1.12.7 and 1.13.0 binaries.

Two witnesses, the binary the judge:
- the sample configuration each release writes (`Orthanc --config=-`, plus `--advanced-config=-`
  where the release has it: 1.13.0 moved options there), every key it sets or shows commented out;
- what the binary reads: a configuration that sets only the option, to null (no reader takes
  that), stops Orthanc at startup if and only if it reads the option at startup. A sample that
  leaves out an option the code reads, or shows one it does not, is a gap of the sample; the
  table follows the code.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from wizard.orthanc import releases
from wizard.orthanc.options import MODALITY_PERMISSIONS, OPTIONS
from wizard.versions import parse

from .orthanc_releases import RELEASES, Release
from .orthanc_server import OrthancStartError, free_port, running_orthanc

# A top-level key of Orthanc's sample configuration, set or commented out ("/**" blocks are at 5).
_SAMPLE_KEY = re.compile(r'^(?:  |     )(?://\s*|/\*+\s*)?"([A-Za-z0-9_]+)"\s*:', re.MULTILINE)

# Where the sample and the code disagree, measured (null stops it, or not), each with the table's
# side. 1.12.7's sample shows the spelling 1.12.8 introduced; 1.13.0's leaves out options its code
# still reads (its log even says it takes SequentialDicomReaderWindowSize from LoaderThreads).
SAMPLE_GAPS = {
    "1.10.1": {},
    "1.12.7": {"RejectedSopClasses": "shown, not read", "RejectSopClasses": "read, not shown"},
    "1.13.0": {"LoaderThreads": "read, not shown", "ZipLoaderThreads": "read, not shown",
               "RejectSopClasses": "read, not shown"},
}

_samples: dict[Release, str] = {}


def sample(release: Release) -> str:
    """The text of the release's sample configuration (main and advanced)."""
    if release not in _samples:
        help_text = _run(release, "--help")
        parts = ["--config=-"] + (["--advanced-config=-"] if "--advanced-config" in help_text else [])
        _samples[release] = "\n".join(_run(release, part) for part in parts)
    return _samples[release]


def _run(release: Release, *args: str) -> str:
    done = subprocess.run(release.binary_command(*args), capture_output=True, text=True, timeout=30, check=True)
    return done.stdout


def shown(release: Release) -> set[str]:
    return set(_SAMPLE_KEY.findall(sample(release)))


def known(release: Release) -> set[str]:
    """What the release table says the release reads."""
    return {option for option in releases.SINCE if releases.knows(option, parse(release.version))}


def stops_orthanc(release: Release, folder: Path, settings: dict) -> str | None:
    """The error lines if `release` stops at startup on these settings, None if it starts."""
    folder.mkdir(parents=True)
    config = {"HttpPort": free_port(), "DicomPort": free_port(), **settings}
    (folder / "config").mkdir()
    (folder / "config" / "orthanc.json").write_text(json.dumps(config))
    try:
        with running_orthanc(folder / "config", folder, graceful=False, release=release):
            return None
    except OrthancStartError as stopped:
        if "exited" not in str(stopped).splitlines()[0]:
            raise
        return "\n".join(line for line in str(stopped).splitlines() if line.startswith("E")) or str(stopped)


def reads_at_start(release: Release, folder: Path, option: str) -> bool:
    return stops_orthanc(release, folder, {option: None}) is not None


def test_the_release_tables_cover_every_release_tested():
    assert all(releases.OLDEST <= parse(r.version) <= releases.NEWEST for r in RELEASES)


def test_a_release_stops_on_an_option_it_reads_set_to_null_and_starts_on_one_it_does_not(tmp_path, release):
    # The witness itself: DicomAet is read by every release, a made-up option by none.
    error = stops_orthanc(release, tmp_path / "aet", {"DicomAet": None})
    assert error is not None and '"DicomAet" must be a string' in error, error
    assert stops_orthanc(release, tmp_path / "made-up", {"OrthancHardenNoSuchOption": None}) is None


def test_the_sample_of_each_release_differs_from_the_table_only_by_its_measured_gaps(release):
    differences = {option: ("shown, not read" if option in shown(release) else "read, not shown")
                   for option in shown(release) ^ known(release)}
    assert differences == SAMPLE_GAPS[release.version]


def test_the_binary_reads_what_the_table_says_where_its_sample_does_not(tmp_path, release):
    wrong = []
    for option in sorted(shown(release) ^ known(release)):
        read, table = reads_at_start(release, tmp_path / option, option), option in known(release)
        if read != table:
            wrong.append(f"{option}: the table says {'read' if table else 'not read'}, but null "
                         f"{'stops' if read else 'does not stop'} Orthanc {release}")
    assert not wrong, "\n".join(wrong)


def test_every_option_the_tool_may_write_for_a_release_is_one_that_release_reads(tmp_path, release):
    version = parse(release.version)
    written = {key for key, option in OPTIONS.items() if option.since <= version}  # Build.set's rule
    assert written <= known(release)
    not_shown = written - shown(release)
    assert not [key for key in sorted(not_shown) if not reads_at_start(release, tmp_path / key, key)]
    permissions = [key for key, since in MODALITY_PERMISSIONS.values() if parse(since) <= version]
    assert [key for key in permissions if f'"{key}"' not in sample(release)] == []


def test_no_option_the_tables_call_newer_than_a_release_is_read_by_it(tmp_path, release):
    version = parse(release.version)
    newer = {key for key, option in OPTIONS.items() if option.since > version}
    newer |= set(releases.SINCE) - known(release)
    shown_anyway = sorted((newer & shown(release)) - set(SAMPLE_GAPS[release.version]))
    assert shown_anyway == []
    # All of them at once, set to null: a release that read any of them at startup would stop.
    assert stops_orthanc(release, tmp_path / "newer", dict.fromkeys(newer)) is None


@pytest.mark.parametrize("option", sorted(releases.ENUMERATIONS))
def test_each_release_takes_exactly_the_values_the_table_gives_it(tmp_path, release, option):
    enumeration = releases.ENUMERATIONS[option]
    version = parse(release.version)
    verdicts = {}
    for value, since in enumeration.values.items():
        error = stops_orthanc(release, tmp_path / value, {option: value})
        verdicts[value] = (error is None, since <= version)
    assert {value: took for value, (took, _) in verdicts.items()} == \
           {value: expected for value, (_, expected) in verdicts.items()}
    assert stops_orthanc(release, tmp_path / "bogus", {option: "orthanc-harden-bogus"}) is not None
