"""A fresh, small, valid DICOM instance (Secondary Capture, 2 pixels) for the upload and C-STORE rows."""

from __future__ import annotations

import io
import itertools

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage, generate_uid

_COUNT = itertools.count(1)


def dataset(purpose: str = "verify") -> Dataset:
    """A new patient, study, series and instance each call: nothing verify stores overwrites another."""
    number = next(_COUNT)
    ds = Dataset()
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.SOPInstanceUID = generate_uid()
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.PatientID, ds.PatientName = f"ORTHANC-HARDEN-{purpose.upper()}-{number}", "Verify^Orthanc-harden"
    ds.StudyDate, ds.StudyTime, ds.StudyID, ds.AccessionNumber = "20240101", "120000", "1", ""
    ds.Modality, ds.SeriesNumber, ds.InstanceNumber, ds.ConversionType = "OT", 1, 1, "WSD"
    ds.SamplesPerPixel, ds.PhotometricInterpretation, ds.Rows, ds.Columns = 1, "MONOCHROME2", 1, 2
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.PixelData = b"\x00\xff"  # two pixels: an even length, no padding
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID = ds.SOPClassUID, ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian  # also what C-STORE sends it in
    ds.file_meta = meta
    return ds


def file_bytes(ds: Dataset) -> bytes:
    """The instance as a DICOM file (Part 10: preamble, DICM, file meta information)."""
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()
