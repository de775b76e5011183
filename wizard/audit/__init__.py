"""audit: judge an existing configuration. The rules live in the topics; here: locating, waivers,
the report and its formats, and the rules about what Orthanc does not read."""
