"""The top-level sections of Orthanc's plugins, the libraries that read them and the Debian packages
that ship them; whether a configuration's `Plugins` loads the plugin of a section it holds.

Orthanc reads none of these sections itself: a section whose plugin is not loaded is ignored as
silently as a misspelled option (the admin believes PostgreSQL holds the index; SQLite does).

Sources: orthanc-builder's docker/orthanc/plugins-def.json (each section's "libs"), its
build-or-download.sh (libAdvancedStorage, libOrthancEducation, libOrthancPixelsMasker), the Orthanc
Book's plugin pages (the sections; WholeSlideImaging and GoogleCloudPlatform are read by the WSI and
Google Cloud plugins; orthanc-mirrors/orthanc-book 8a39616, 2026-04-24), Debian 12's `apt-cache search orthanc` (the packages), and the files those
packages install here (/usr/share/orthanc/plugins/libModalityWorklists.so, libServeFolders.so,
libOrthancDicomWeb.so; sid's orthanc adds libHousekeeper, libDelayedDeletion, libMultitenantDicom).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Section:
    libraries: tuple[str, ...]  # file names without the `lib` prefix and the .so/.dll/.dylib suffix
    package: str = ""  # the Debian package that installs the plugin ("" when Debian has none)


SECTIONS: dict[str, Section] = {
    "AdvancedStorage": Section(("AdvancedStorage",)),
    "Authorization": Section(("OrthancAuthorization",)),
    "AwsS3Storage": Section(("OrthancAwsS3Storage",)),
    "AzureBlobStorage": Section(("OrthancAzureBlobStorage",)),
    "ConnectivityChecks": Section(("ConnectivityChecks",)),
    "DelayedDeletion": Section(("DelayedDeletion",)),
    "DicomWeb": Section(("OrthancDicomWeb",), "orthanc-dicomweb"),
    "Education": Section(("OrthancEducation",)),
    "Gdcm": Section(("OrthancGdcm",), "orthanc-gdcm"),
    "GoogleCloudPlatform": Section(()),
    "GoogleCloudStorage": Section(("OrthancGoogleCloudStorage",)),
    "Housekeeper": Section(("Housekeeper",)),
    "Indexer": Section(("OrthancIndexer",)),
    "Java": Section(("OrthancJava",)),
    "MultitenantDicom": Section(("MultitenantDicom",)),
    "MySQL": Section(("OrthancMySQLIndex", "OrthancMySQLStorage"), "orthanc-mysql"),
    "Neuro": Section(("OrthancNeuro",), "orthanc-neuro"),
    "OHIF": Section(("OrthancOHIF",)),
    "Odbc": Section(("OrthancOdbcIndex", "OrthancOdbcStorage")),
    "Ohif": Section(("OrthancOHIF",)),
    "OrthancExplorer2": Section(("OrthancExplorer2",)),
    "PixelsMasker": Section(("OrthancPixelsMasker",)),
    "PostgreSQL": Section(("OrthancPostgreSQLIndex", "OrthancPostgreSQLStorage"), "orthanc-postgresql"),
    "Python": Section(("OrthancPython",), "orthanc-python"),
    "STL": Section(("OrthancSTL",)),
    "ServeFolders": Section(("ServeFolders",), "orthanc"),
    "StoneWebViewer": Section(("StoneWebViewer",)),
    "Tcia": Section(("OrthancTcia",)),
    "Transfers": Section(("OrthancTransfers",)),
    "VolView": Section(("OrthancVolView",)),
    "WebViewer": Section(("OrthancWebViewer", "OsimisWebViewer", "OsimisWebViewerAlpha"), "orthanc-webviewer"),
    "WholeSlideImaging": Section(("OrthancWSI",), "orthanc-wsi"),
    "Worklists": Section(("ModalityWorklists",), "orthanc"),
    "Wsi": Section(("OrthancWSI",), "orthanc-wsi"),
}
# Top-level keys a plugin reads beside its section: the Python plugin's PythonScript, PythonVerbose…
PREFIXES = {"Python": "Python"}

_LIBRARY = re.compile(r"^(?:lib)?(.+?)\.(?:so(?:\.[0-9.]+)?|dll|dylib)$", re.IGNORECASE)


def section_of(key: str) -> str | None:
    """The plugin section a top-level key belongs to (the section itself, or a Python* key)."""
    if key in SECTIONS:
        return key
    return next((section for prefix, section in PREFIXES.items() if key.startswith(prefix)), None)


def library(name: str) -> str | None:
    """A plugin file's name as in SECTIONS (libOrthancDicomWeb.so.1.7 → orthancdicomweb), else None."""
    match = _LIBRARY.match(name)
    return match.group(1).lower() if match else None


def loaded(plugins, look_in_folders: bool) -> set[str] | None:
    """The libraries `Plugins` loads, as library() names; None when it cannot be known here (an
    entry with a ${VAR}, a folder not looked in or not on this host)."""
    if plugins is None:
        return set()  # Orthanc loads no plugin
    if not isinstance(plugins, list):
        return None
    found: set[str] = set()
    for entry in plugins:
        if not isinstance(entry, str) or "${" in entry:
            return None
        name = library(Path(entry.replace("\\", "/")).name)
        if name is not None:
            found.add(name)
            continue
        folder = Path(entry)
        if not look_in_folders or not folder.is_dir():
            return None
        found |= {n for n in (library(f.name) for f in folder.iterdir()) if n is not None}
    return found


def missing(section: str, plugins, look_in_folders: bool) -> bool:
    """Whether `Plugins` surely loads no library that reads `section` (its folders looked in on
    this host only when the configuration is this host's)."""
    libraries = {name.lower() for name in SECTIONS[section].libraries}
    found = loaded(plugins, look_in_folders)
    return bool(libraries) and found is not None and not libraries & found


# Plugins that run the admin's own code, which may read any key of the configuration (the Python
# plugin's orthanc.GetConfiguration(), the Java plugin's).
SCRIPTING = ("Python", "Java")
_ALL_LIBRARIES = {name.lower() for section in SECTIONS.values() for name in section.libraries}


def own_code_may_read(config: dict) -> bool:
    """Whether code of the admin's may read keys no plugin here knows: a scripting plugin is
    configured, or Plugins lists a file that is no library of SECTIONS."""
    if any(section_of(key) in SCRIPTING for key in config):
        return True
    plugins = config.get("Plugins")
    return isinstance(plugins, list) and any(isinstance(e, str) and _unknown_file(e) for e in plugins)


def _unknown_file(entry: str) -> bool:
    """A Plugins entry naming a file none of SECTIONS' libraries is (a folder: False)."""
    name = Path(entry.replace("\\", "/")).name
    stem = library(name)
    return stem not in _ALL_LIBRARIES if stem is not None else "." in name
