"""probe: what a stranger gets from a running Orthanc, over HTTP and DICOM."""
