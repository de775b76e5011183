"""The image tag -> Orthanc release table, checked against orthanc-builder's release notes (a copy
in tests/data/compose, at 0a4394c)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wizard.sources.compose import images

NOTES = Path(__file__).parents[1] / "data" / "compose" / "release-notes-docker-images.md"


def notes_by_tag() -> dict[str, str]:
    """Each tag's notes: `26.8.0` over a `---` line (new notes), `24.2.1 :  - ...` (old notes)."""
    lines, found, current = NOTES.read_text().splitlines(), {}, None
    for number, line in enumerate(lines):
        new = re.fullmatch(r"(\d+\.\d+\.\d+)\s*", line)
        old = re.match(r"(\d+\.\d+\.\d+)\s*:(.*)", line)
        if new and number + 1 < len(lines) and lines[number + 1].startswith("---"):
            current = new.group(1)
            found[current] = ""
        elif old:
            current = old.group(1)
            found[current] = old.group(2)
        elif current:
            found[current] += "\n" + line
    return found


def test_every_tag_of_the_notes_is_in_the_table_with_the_release_its_notes_imply():
    release, seen = None, set()
    for tag, text in reversed(list(notes_by_tag().items())):  # oldest first
        upgrade = re.search(r"(?:upgraded|updated) Orthanc to \[?(\d+\.\d+\.\d+)", text, re.IGNORECASE)
        release = upgrade.group(1) if upgrade else release
        seen.add(tag)
        if tag in images.NO_RELEASE:
            assert tag not in images.RELEASE_OF
        else:
            assert images.RELEASE_OF[tag] == release, tag
    assert seen == set(images.RELEASE_OF) | set(images.NO_RELEASE)


@pytest.mark.parametrize("image, release", [
    ("orthancteam/orthanc:25.8.0", "1.12.9"),
    ("orthancteam/orthanc:26.8.1", "1.13.0"),
    ("orthancteam/orthanc:24.6.2-full", "1.12.4"),
    ("docker.io/orthancteam/orthanc:22.3.0", "1.10.1"),
    ("registry.example.org:5000/orthancteam/orthanc:19.1.1", "1.5.3"),
    ("osimis/orthanc:21.10.0-buster", "1.9.7"),
    ("osimis/orthanc:23.7.0", "1.12.1"),
])
def test_a_pinned_tag_gives_the_release_it_ships(image, release):
    found, said = images.release_of(image)
    assert found == release
    assert f"ships Orthanc {release}" in said


@pytest.mark.parametrize("image, words", [
    ("orthancteam/orthanc", "no tag means `latest`"),
    ("orthancteam/orthanc:latest", "`latest` is whatever was newest"),
    ("orthancteam/orthanc:latest-full", "each pull may bring another Orthanc release"),
    ("orthancteam/orthanc@sha256:" + "a" * 64, "pinned by digest only"),
    ("orthancteam/orthanc:24.1.1", "not in the image's release notes"),
    ("orthancteam/orthanc:master", "not in the image's release notes"),
    ("orthancteam/orthanc:24.2.3", "mainline builds"),
    ("orthancteam/orthanc:22.12.1", "not released"),
    ("orthancteam/orthanc:18.1.1", "no Orthanc release before 18.4.3"),
    ("osimis/orthanc:25.8.0", "osimis/orthanc was published up to 24.1.2"),
    ("orthancteam/orthanc-pre-release:master-unstable", "pre-release image"),
    ("jodogne/orthanc:1.12.3", "not an orthancteam/orthanc image"),
])
def test_an_image_without_a_known_release_says_why(image, words):
    found, said = images.release_of(image)
    assert found is None
    assert words in said and said.startswith(image)


def test_a_tag_pinned_with_a_digest_is_judged_by_its_tag_and_says_the_digest_decides():
    found, said = images.release_of("orthancteam/orthanc:25.8.0@sha256:" + "b" * 64)
    assert found == "1.12.9" and "the digest decides" in said


@pytest.mark.parametrize("version, tag", [("1.13.0", "26.8.1"), ("1.12.9", "25.11.2"), ("1.10.1", "22.4.0"),
                                          ((1, 12, 11), "26.7.0"), ("1.5.2", None), ("1.14.0", None)])
def test_tag_for_gives_the_newest_tag_shipping_exactly_that_release(version, tag):
    assert images.tag_for(version) == tag


def test_the_tag_given_for_a_release_ships_that_release():
    for release in images.SHIPS:
        assert images.release_of(f"orthancteam/orthanc:{images.tag_for(release)}")[0] == release
