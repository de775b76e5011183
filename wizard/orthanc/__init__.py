"""What is true of Orthanc itself: its configuration files, option versions and access policy."""
