"""The settings of a files run, as the orthancteam/orthanc image must be given them: what differs
in a container, the passwords apart, and the host files the settings name."""

from __future__ import annotations

from wizard.orthanc import proxy_secret
from wizard.orthanc.secret_spans import PEER_SECRETS
from wizard.topics.base import Answers

CONTAINER_CONFIG = "/etc/orthanc"
STORAGE = "/var/lib/orthanc/db"  # the image's default, inside the storage volume
IMAGE_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"  # in the image (Debian based)
# The options that name a file Orthanc reads: mounted read-only at the same path.
FILE_OPTIONS = ("SslCertificate", "HttpsCACertificates", "DicomTlsCertificate", "DicomTlsPrivateKey",
                "DicomTlsTrustedCertificates")


def container_settings(settings: dict, answers: Answers) -> dict:
    """A files run's settings for the container, in the same order:
    - StorageDirectory: the image's folder, inside the named volume;
    - Plugins left out: the image's default loads the plugins its start-up installs;
    - LuaScripts by absolute path: Orthanc reads /tmp/orthanc.json, a relative path would resolve
      against /tmp;
    - RemoteAccessAllowed true and no HttpBindAddresses: every client of a container comes
      through Docker's bridge; what is published (new_services.published) keeps the exposure;
    - Orthanc Explorer 2, the image's default UI, off when Orthanc Explorer is."""
    adapted = dict(settings)
    if "StorageDirectory" in adapted:
        adapted["StorageDirectory"] = STORAGE
    adapted.pop("Plugins", None)
    if isinstance(adapted.get("LuaScripts"), list):
        adapted["LuaScripts"] = [path if path.startswith("/") else f"{CONTAINER_CONFIG}/{path}"
                                 for path in adapted["LuaScripts"]]
    if adapted.get("HttpServerEnabled", True):
        adapted["RemoteAccessAllowed"] = True
        adapted.pop("HttpBindAddresses", None)
    if adapted.get("OrthancExplorerEnabled") is False:
        adapted["OrthancExplorer2"] = {"Enable": False}
    return adapted


def split_secrets(settings: dict) -> tuple[dict, dict]:
    """(the settings without a secret, the secrets alone): RegisteredUsers whole, the proxy's secret,
    and each peer's
    passwords under its own name, which the generator merges back into the peer key by key."""
    public, secret = {}, {}
    for key, value in settings.items():
        if key in ("RegisteredUsers", proxy_secret.OPTION):
            secret[key] = value
        elif key == "OrthancPeers" and isinstance(value, dict):
            public[key], hidden = {}, {}
            for name, peer in value.items():
                public[key][name] = {k: v for k, v in peer.items() if k not in PEER_SECRETS}
                if any(k in PEER_SECRETS for k in peer):
                    hidden[name] = {k: v for k, v in peer.items() if k in PEER_SECRETS}
            if hidden:
                secret[key] = hidden
        else:
            public[key] = value
    return public, secret


def host_files(settings: dict) -> list[str]:
    """The host files the settings name, each mounted at the same path (the image has its own CA bundle)."""
    found = []
    for key in FILE_OPTIONS:
        path = settings.get(key)
        if isinstance(path, str) and path.startswith("/") and path != IMAGE_CA_BUNDLE and path not in found:
            found.append(path)
    return found
