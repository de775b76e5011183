"""The security topics, in the order of Orthanc's documentation. Adding a topic is adding a module."""

from __future__ import annotations

from wizard.topics import (authentication, dicom, https, limits, logs, network, outgoing,
                           scripting, service_user, storage, web)

TOPICS = (service_user, network, authentication, https, web, limits, outgoing, storage, dicom,
          scripting, logs)


def questions():
    return [question for topic in TOPICS for question in topic.QUESTIONS]
