"""Which Orthanc release an orthancteam/orthanc (or osimis/orthanc) image tag ships: the image's
tag is the only release a compose file states, and the release decides which flaws are fixed.

Source: orthanc-builder's release-notes-docker-images.md at 0a4394c (2026-08-19): each tag's
notes say "upgraded Orthanc to X" when the release changed; a tag ships the release named by its
own notes or by the newest earlier tag's. The notes list the default tags; `-full` images (and
other variants such as `-buster`) ship the same Orthanc. Images were published as osimis/orthanc
up to 24.1.x and as orthancteam/orthanc from 24.2.0; the Orthanc Book (docker-orthancteam.html) says
every earlier tag was copied into orthancteam/orthanc too."""

from __future__ import annotations

import re

from wizard.versions import Version, parse, show

IMAGE = "orthancteam/orthanc"
NON_ROOT_TAG = "23.6.0"  # the first tag with the orthanc user (uid 999) and its folders

# Orthanc release -> the tags of the notes that ship it, oldest first.
SHIPS: dict[str, str] = {
    "1.3.2": "18.4.3 18.4.4 18.5.0 18.5.1 18.5.2 18.6.0",
    "1.4.0": "18.7.0",
    "1.4.1": "18.7.1 18.7.2 18.7.3 18.8.1 18.9.1 18.9.2",
    "1.4.2": "18.9.3 18.9.4 18.9.5 18.11.0 18.11.1",
    "1.5.0": "18.12.0 18.12.1 18.12.2",
    "1.5.1": "18.12.3",
    "1.5.3": "19.1.1",
    "1.5.4": "19.2.1",
    "1.5.5": "19.2.2",
    "1.5.6": "19.3.1 19.3.2 19.3.3 19.3.4 19.4.1 19.6.0 19.6.1",
    "1.5.7": "19.6.2 19.6.3 19.6.4 19.7.1 19.9.1 19.9.2 19.9.3 19.9.4 19.10.1",
    "1.5.8": "19.10.2 19.10.3 19.10.4 19.11.1 19.11.2 20.1.0 20.2.0 20.3.0",
    "1.6.0": "20.3.1 20.4.0",
    "1.6.1": "20.4.1 20.4.2 20.4.3 20.5.1",
    "1.7.0": "20.5.2",
    "1.7.1": "20.5.3 20.7.0",
    "1.7.2": "20.7.1 20.7.2 20.7.3",
    "1.7.3": "20.8.0 20.8.1 20.8.2 20.9.1 20.9.2 20.9.3 20.9.4 20.9.5",
    "1.7.4": "20.9.6 20.10.1",
    "1.8.0": "20.10.2 20.11.1 20.11.2 20.12.0 20.12.1 20.12.2",
    "1.8.1": "20.12.3 20.12.4 20.12.5",
    "1.8.2": "20.12.6 20.12.7 21.1.1 21.1.2 21.1.3 21.1.4 21.1.5 21.1.6",
    "1.9.0": "21.1.7",
    "1.9.1": "21.2.0",
    "1.9.2": "21.4.0 21.4.1 21.5.0",
    "1.9.3": "21.5.1 21.5.2 21.6.0",
    "1.9.4": "21.6.1 21.6.2",
    "1.9.5": "21.7.0 21.7.1 21.7.2",
    "1.9.6": "21.7.3 21.7.4 21.8.0 21.8.1 21.8.2",
    "1.9.7": "21.8.3 21.9.0 21.9.1 21.9.2 21.10.0 21.11.0 22.2.0",
    "1.10.0": "22.2.1 22.2.2",
    "1.10.1": "22.3.0 22.4.0",
    "1.11.0": "22.5.0 22.5.1 22.5.2 22.5.3 22.5.4 22.6.0 22.6.1 22.6.2 22.6.3",
    "1.11.1": "22.6.4 22.7.0",
    "1.11.2": "22.8.0 22.9.0 22.9.1 22.9.2 22.10.1 22.10.2 22.10.3 22.10.4 22.11.0 22.11.1 22.11.2 22.11.3 "
              "22.11.4 22.12.0 22.12.2",
    "1.11.3": "23.2.0 23.3.0 23.3.2 23.3.3 23.3.4 23.3.5",
    "1.12.0": "23.4.0 23.5.0 23.5.1 23.6.0 23.6.1",
    "1.12.1": "23.7.0 23.7.1 23.8.0 23.8.1 23.8.2 23.9.0 23.9.1 23.9.2 23.11.0 23.11.1",
    "1.12.2": "23.12.0 23.12.1 24.1.0 24.1.2",
    "1.12.3": "24.2.0 24.2.1 24.2.2 24.3.1 24.3.2 24.3.3 24.3.4 24.3.5 24.4.0 24.5.0 24.5.1",
    "1.12.4": "24.6.1 24.6.2 24.6.3 24.7.0 24.7.1 24.7.2 24.7.3 24.8.1 24.8.2 24.8.3 24.9.1 24.10.1 24.10.2 "
              "24.10.3 24.11.0",
    "1.12.5": "24.12.0 25.1.0",
    "1.12.6": "25.1.1 25.2.0",
    "1.12.7": "25.4.0 25.4.1 25.4.2 25.5.0 25.5.1 25.6.0",
    "1.12.8": "25.6.2 25.6.3 25.6.4 25.7.0",
    "1.12.9": "25.8.0 25.8.1 25.8.2 25.9.0 25.9.1 25.9.2 25.10.0 25.10.1 25.10.2 25.10.3 25.10.4 25.10.5 "
              "25.11.0 25.11.2",
    "1.12.10": "25.11.3 25.12.0 25.12.1 25.12.2 25.12.3 26.1.0",
    "1.12.11": "26.4.0 26.4.1 26.4.2 26.6.0 26.6.1 26.7.0",
    "1.13.0": "26.8.0 26.8.1",
}
# Tags of the notes that ship no Orthanc release one can name, and why.
NO_RELEASE: dict[str, str] = {
    **{tag: "the release notes name no Orthanc release before 18.4.3 (Orthanc 1.3.2)"
       for tag in "17.12.2 18.1.1 18.1.2 18.1.3 18.1.4 18.1.5 18.1.6 18.3.0 18.3.1 18.3.2 18.3.4 18.3.5 18.4.0 "
                  "18.4.1 18.4.2".split()},
    "18.3.3": "the release notes withdraw it (\"forget it !\")",
    "20.5.0": "the release notes say it was a Windows installer tag only, never a Docker image",
    "22.10.0": "the release notes withdraw it (\"forget it !\")",
    "22.12.1": "the release notes say it was not released",
    "24.2.3": "the release notes say these images held mainline builds of Orthanc, not official releases",
}
RELEASE_OF: dict[str, str] = {tag: release for release, tags in SHIPS.items() for tag in tags.split()}
LAST_OSIMIS = parse("24.1.2")  # the last tag published as osimis/orthanc
REFUSALS_SINCE = parse("26.7.0")  # the generator stops on legacy names (-2) and on no user (-3) from here
REPOSITORIES = ("orthancteam/orthanc", "osimis/orthanc")
_TAG = re.compile(r"^(\d+\.\d+\.\d+)(?:-([A-Za-z0-9._-]+))?$")


def split(image: str) -> tuple[str, str | None, str | None]:
    """An image reference as (repository without registry, tag or None, digest or None):
    `docker.io/orthancteam/orthanc:24.1.2@sha256:...`."""
    image, _, digest = image.strip().partition("@")
    name, tag = image, None
    if ":" in image.rsplit("/", 1)[-1]:
        name, tag = image.rsplit(":", 1)
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]  # a registry host: docker.io, ghcr.io, a mirror with a port
    if parts[0] == "library":
        parts = parts[1:]
    return "/".join(parts).lower(), tag, digest or None


def release_of(image: str) -> tuple[str | None, str]:
    """The Orthanc release `image` ships, or None; and in words, why (what the audit says)."""
    repository, tag, digest = split(image)
    if repository.endswith("/orthanc-pre-release"):
        return None, f"{image}: a pre-release image, built from Orthanc's mainline: no Orthanc release"
    if repository not in REPOSITORIES:
        return None, f"{image}: not an orthancteam/orthanc image, whose release notes give the tags"
    if tag is None and digest is not None:
        return None, f"{image}: pinned by digest only, which names no Orthanc release"
    if tag is None or tag.startswith("latest"):
        said = "no tag means `latest`, which is" if tag is None else f"`{tag}` is"
        return None, f"{image}: {said} whatever was newest when the image was pulled: each pull may bring " \
                     "another Orthanc release"
    match = _TAG.match(tag)
    base = match.group(1) if match else tag
    if base in NO_RELEASE:
        return None, f"{image}: {NO_RELEASE[base]}"
    if base not in RELEASE_OF:
        return None, f"{image}: the tag {tag} is not in the image's release notes (up to 26.8.1)"
    if repository == "osimis/orthanc" and parse(base) > LAST_OSIMIS:
        return None, f"{image}: osimis/orthanc was published up to 24.1.2; {tag} exists as orthancteam/orthanc only"
    release = RELEASE_OF[base]
    said = f"{image} ships Orthanc {release}"
    return release, said + (" (the digest decides what runs; the tag says this)" if digest else "")


def tag_number(image: str) -> Version | None:
    """The image tag's own number (26.7.0 for `orthancteam/orthanc:26.7.0-full`): the generator's
    behaviour changes with it. None when unpinned or not a numbered tag."""
    _, tag, _ = split(image)
    match = _TAG.match(tag or "")
    return parse(match.group(1)) if match else None


def refuses(image: str) -> bool:
    """Whether the image's generator has the 26.7.0 refusals: a tag from 26.7.0 on, or one not numbered
    (latest, a digest, a moving tag: today's image has them)."""
    number = tag_number(image)
    return number is None or number >= REFUSALS_SINCE


def newest_release() -> str:
    """The newest Orthanc release an image tag ships (what an unpinned image pulls today)."""
    return max(SHIPS, key=parse)


def tag_for(version: str | Version) -> str | None:
    """The newest tag that ships exactly Orthanc `version` ("1.13.0" -> "26.8.1"), or None."""
    tags = SHIPS.get(version if isinstance(version, str) else show(version))
    return tags.split()[-1] if tags else None


def non_root_releases() -> list[str]:
    """The Orthanc releases that have an image able to run as a non-root user, oldest first."""
    return [r for r in SHIPS if parse(tag_for(r)) >= parse(NON_ROOT_TAG)]
