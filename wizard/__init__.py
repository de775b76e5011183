"""orthanc-harden: guided, verifiable hardening of an Orthanc server's configuration."""

__version__ = "0.1.0"
