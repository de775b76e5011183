"""Fixtures shared by the integration tests: a DICOM file and Orthancs that stop by themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from .dicom import make_dicom_file
from .orthanc_server import OrthancProcess, running_orthanc


@pytest.fixture(scope="session")
def dicom_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small Secondary Capture instance of patient HARDEN1."""
    return make_dicom_file(tmp_path_factory.mktemp("dicom") / "instance.dcm")


@pytest.fixture
def start_orthanc(tmp_path: Path) -> Iterator[Callable[[Path], OrthancProcess]]:
    """start_orthanc(config_dir) runs Orthanc on it until the test ends."""
    with ExitStack() as stack:
        yield lambda config_dir: stack.enter_context(running_orthanc(config_dir, tmp_path))
