"""The POST routes that the roles below admin may use, matched exactly as Orthanc routes them.

The filter sees the path percent-decoded, without its query, `//` collapsed and `..` resolved,
and with its trailing slashes, which Orthanc's router ignores (policy.normalize_path drops them
first). Routes are case-sensitive, and `{id}` is one path segment: `/patients/x/archive/extra` or
`/dicom-web/studies/x/series` is none of these routes. Every other POST, PUT and DELETE stays
admin-only, and with it every route of the dangerous list (execute-script, export, modalities,
peers, jobs, deletes, modify and anonymize, reset and shutdown). wizard/orthanc/lua.py says the
same in Lua; tests/unit/test_lua_differential.py checks that both decide alike.
"""

from __future__ import annotations

# Orthanc Explorer searches with these POSTs; they read, they do not write.
SEARCHES = frozenset({"/tools/find", "/tools/lookup"})
# Zips of resources that a reader may GET one by one anyway (orthanc-api-client's
# InstancesSet.download_archive and Orthanc Explorer 2 use these POST forms).
ZIP_TOOLS = frozenset({"/tools/create-archive", "/tools/create-media", "/tools/create-media-extended"})
READ_ONLY_POSTS = SEARCHES | ZIP_TOOLS
# POST /{level}/{id}/archive and /{level}/{id}/media: the zip of one patient, study or series.
ZIP_LEVELS = frozenset({"patients", "studies", "series"})
ZIP_KINDS = frozenset({"archive", "media"})

# Orthanc's own upload, and the DICOMweb plugin's STOW-RS at its default root /dicom-web/
# (`POST /dicom-web/studies` and `POST /dicom-web/studies/{StudyInstanceUID}`).
UPLOAD = "/instances"
STOW = "/dicom-web/studies"


def reads(path: str) -> bool:
    """Whether a POST to this (normalized) path only reads: a search, or a zip to download."""
    if path in READ_ONLY_POSTS:
        return True
    parts = path.split("/")
    return (len(parts) == 4 and parts[0] == "" and parts[1] in ZIP_LEVELS and parts[2] != ""
            and parts[3] in ZIP_KINDS)


def uploads(path: str) -> bool:
    """Whether a POST to this (normalized) path stores instances: /instances or STOW-RS."""
    if path in (UPLOAD, STOW):
        return True
    study = path[len(STOW) + 1:]
    return path.startswith(STOW + "/") and study != "" and "/" not in study
