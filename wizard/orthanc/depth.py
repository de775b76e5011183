"""What Debian's builds of Orthanc do with deeply nested input, measured release by release.

Debian's civetweb runs each HTTP request on a thread whose stack is 102,400 bytes; jsoncpp parses
a JSON body, and DCMTK a DICOM file, recursively on that thread. A body or a file nested deep
enough overflows it: SIGSEGV, nothing logged, whoever sent it. The filter sees no body, so only
who may POST decides who can do it. Measured 2026-12-07 on Debian 12's 1.10.1, Debian 13's 1.12.7
and sid's 1.13.0 (reference/orthanc-facts.md §8); tests/integration/test_depth_crash.py measures
the JSON depth again on each of them, so a build that stops crashing fails that test.
"""

from __future__ import annotations

from wizard import versions

# The nesting of a JSON body (N arrays, 2N bytes) that stops each release: POST /tools/find,
# /tools/create-archive, the create-media routes, /{level}/{id}/archive|media.
JSON_DEPTH = {"1.10.1": 201, "1.12.7": 197, "1.13.0": 188}
# The nesting of ContentSequence items of an uploaded DICOM file that stops it (POST /instances,
# STOW-RS); on 1.12.7 and 1.13.0 a file just below it is stored and stops Orthanc when read.
DICOM_DEPTH = {"1.10.1": 47, "1.12.7": 50, "1.13.0": 48}

RISK = ("On a Debian build of Orthanc (1.10.1, 1.12.7 and 1.13.0 measured) a JSON body nested about "
        "200 deep, some 400 bytes, stops the server (SIGSEGV, nothing logged): every user allowed these "
        "POSTs can stop it.")
UPLOAD_RISK = ("An uploaded DICOM file nested about 50 sequences deep (1.5 KB) stops a Debian build too, "
               "and a modality allowed to store can store a deeper one that stops it when read.")
WHAT_TO_DO = ("turn authentication.search_and_zips off (readers keep every GET), give uploads to trusted users "
              "and modalities only, and keep systemd's Restart=on-failure so that Orthanc comes back")


def json_depth(release: versions.Version | None) -> str:
    """The measured depth for this release, or the range measured when it is another one."""
    measured = {versions.parse(name): depth for name, depth in JSON_DEPTH.items()}
    if release in measured:
        return f"{measured[release]} deep on {versions.show(release)}"
    return f"{min(JSON_DEPTH.values())}–{max(JSON_DEPTH.values())} deep on the releases measured"


def upload_depth(release: versions.Version | None) -> str:
    measured = {versions.parse(name): depth for name, depth in DICOM_DEPTH.items()}
    if release in measured:
        return f"{measured[release]} sequences deep on {versions.show(release)}"
    return f"{min(DICOM_DEPTH.values())}–{max(DICOM_DEPTH.values())} sequences deep on the releases measured"
