"""Fixtures shared by the integration tests: a DICOM file and Orthancs that stop by themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from .dicom import make_dicom_file
from .orthanc_releases import HOST, RELEASES, Release
from .orthanc_server import OrthancProcess, running_orthanc


@pytest.fixture(scope="session")
def dicom_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small Secondary Capture instance of patient HARDEN1."""
    return make_dicom_file(tmp_path_factory.mktemp("dicom") / "instance.dcm")


@pytest.fixture
def start_orthanc(tmp_path: Path) -> Iterator[Callable[..., OrthancProcess]]:
    """start_orthanc(config_dir, release=HOST) runs that Orthanc on it until the test ends."""
    with ExitStack() as stack:
        def start(config_dir: Path, release: Release = HOST, **options) -> OrthancProcess:
            return stack.enter_context(running_orthanc(config_dir, tmp_path, release=release, **options))
        yield start


@pytest.fixture(params=RELEASES, ids=str)
def release(request) -> Release:
    """Each real Orthanc release in turn (a test taking it runs once per release): pass it to
    start_orthanc or running_orthanc. A chroot not built is an error, never a skip."""
    if request.param.chrooted:
        request.param.root()  # raises ReleaseMissing with what to run
    return request.param
