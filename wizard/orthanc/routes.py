"""The POST routes that the roles below admin may use, matched exactly as Orthanc routes them.

The filter sees the path percent-decoded, without its query, `//` collapsed and `..` resolved,
and with its trailing slashes, which Orthanc's router ignores (policy.normalize_path drops them
first). Routes are case-sensitive, and `{id}` is one path segment: `/patients/x/archive/extra` or
`/dicom-web/studies/x/series` is none of these routes. Every other POST, PUT and DELETE stays
admin-only, and with it every route of the dangerous list (execute-script, export, modalities,
peers, jobs, deletes, modify and anonymize, reset and shutdown). wizard/orthanc/lua.py says the
same in Lua; tests/unit/test_lua_differential.py checks that both decide alike.

`outward` lists the routes that make Orthanc contact another system: admin-only whatever the
method, GETs included (GET /peers/{id}/system calls the peer with the peer's credentials).
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


# Routes that make Orthanc contact another system, read from the route registrations of 1.10.1,
# 1.12.7 and 1.13.0 (OrthancRestModalities.cpp) and of the DICOMweb plugin (Plugin.cpp):
# - every route below one peer or modality: /peers/{id}/system (the one GET: it calls the peer),
#   /store, /store-straight; /modalities/{id}/echo, find*, store*, move, get, query,
#   storage-commitment (and /configuration, which only shows the remote's address);
# - every route below one DICOMweb server: /dicom-web/servers/{id}/get, post, qido, retrieve, stow,
#   wado, delete;
# - the retrievals of a query's answers, C-MOVE or C-GET to the queried modality;
# - C-ECHO to any host and port of the body.
# A whole subtree is matched, so a route a later release adds below a peer stays the admin's.
OUTWARD_TREES = frozenset({"peers", "modalities"})
DICOMWEB_SERVERS = "/dicom-web/servers/"
DICOM_ECHO = "/tools/dicom-echo"
QUERY_RETRIEVALS = frozenset({"retrieve", "query-instances", "query-series", "query-studies"})


def outward(path: str) -> bool:
    """Whether a request to this (normalized) path makes Orthanc contact another system."""
    if path == DICOM_ECHO:
        return True
    parts = path.split("/")
    if len(parts) >= 4 and parts[0] == "" and parts[1] in OUTWARD_TREES and parts[2] != "":
        return True
    if path.startswith(DICOMWEB_SERVERS):
        server = path[len(DICOMWEB_SERVERS):].split("/")
        return len(server) >= 2 and server[0] != ""
    if len(parts) < 4 or parts[0] != "" or parts[1] != "queries" or parts[2] == "":
        return False
    return (len(parts) == 4 and parts[3] == "retrieve") or (
        len(parts) == 6 and parts[3] == "answers" and parts[4] != "" and parts[5] in QUERY_RETRIEVALS)
