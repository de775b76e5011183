"""The configuration a compose service's container reads, made runnable by this host's Orthanc
(for verify): container paths mapped to host files through the service's bind mounts; the image's
own paths (its plugin folders, its bundled Lua) left out with a note, since they exist only there."""

from __future__ import annotations

import copy

from wizard.errors import BadInput, Problem
from wizard.sources.compose.model import Deployment
from wizard.sources.compose.mounts import host_path
from wizard.sources.compose.source import stop_message

LISTS = ("LuaScripts", "Plugins")
SINGLE = ("SslCertificate", "SslTrustedClientCertificates", "DicomTlsCertificate", "DicomTlsPrivateKey",
          "DicomTlsTrustedCertificates", "HttpsCACertificates")


def on_host(deployment: Deployment) -> tuple[dict, list[str]]:
    """The generated values with paths mapped; notes say what could not be (and was left out)."""
    if deployment.generated.exit != 0 or deployment.generated.config is None:
        raise BadInput(Problem(str(deployment.file), f"services.{deployment.service.name}", stop_message(deployment)))
    values, notes = copy.deepcopy(deployment.generated.config), []
    for key in LISTS:
        if isinstance(values.get(key), list):
            mapped = [(item, host_path(deployment, item)) for item in values[key]]
            values[key] = [found for _, found in mapped if found is not None]
            notes += [f"{key}: {item} exists only in the image: left out here" for item, found in mapped
                      if found is None]
    for key in SINGLE:
        if isinstance(values.get(key), str) and values[key]:
            found = host_path(deployment, values[key])
            if found is None:
                notes.append(f"{key}: {values[key]} is not mounted from this host: left out here")
                del values[key]
            else:
                values[key] = found
    return values, notes
