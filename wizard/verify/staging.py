"""The copy of a configuration that verify runs: the same values, on other ports, with throw-away storage.

Only what would touch the real server changes: HttpPort, DicomPort, StorageDirectory and
IndexDirectory, plus HttpBindAddresses 127.0.0.1 (releases before 1.12.10 ignore it). Relative
paths are made absolute against the configuration's folder, since the copy lives elsewhere.
RemoteAccessAllowed and everything else stay as written.
"""

from __future__ import annotations

import copy
import json
import random
import socket
from pathlib import Path

from wizard.orthanc.document import Placeholder

# Options whose relative paths Orthanc resolves against the configuration's folder. The DicomTls*
# ones are not resolved by 1.10.1 (it passes them as they are); the copy makes them absolute too.
PATH_LISTS = ("LuaScripts", "Plugins")
PATHS = ("SslCertificate", "SslTrustedClientCertificates", "DicomTlsCertificate", "DicomTlsPrivateKey",
         "DicomTlsTrustedCertificates")


def staged(values: dict, folder: Path, http_port: int, dicom_port: int, storage: Path) -> dict:
    """The values to run: folder is where the originals are, storage a fresh temporary folder."""
    settings = copy.deepcopy(values)
    settings.update(HttpPort=http_port, DicomPort=dicom_port, HttpBindAddresses=["127.0.0.1"],
                    StorageDirectory=str(storage / "storage"), IndexDirectory=str(storage / "index"))
    for key in PATH_LISTS:
        if isinstance(settings.get(key), list):
            settings[key] = [absolute(folder, item) for item in settings[key]]
    for key in PATHS:
        if key in settings:
            settings[key] = absolute(folder, settings[key])
    return settings


def absolute(folder: Path, value):
    if not isinstance(value, str) or isinstance(value, Placeholder) or value.startswith("${") or not value:
        return value
    return value if Path(value).is_absolute() else str(folder / value)


def render(settings: dict) -> str:
    """JSON as Orthanc reads it; an unquoted `${VAR}` (a number or a boolean from the environment)
    stays unquoted, so that Orthanc substitutes it as it does in the original."""
    marks: dict[str, str] = {}

    def marked(value):
        if isinstance(value, Placeholder):
            mark = f"@@verify-placeholder-{len(marks)}@@"
            marks[json.dumps(mark)] = str(value)
            return mark
        if isinstance(value, dict):
            return {key: marked(item) for key, item in value.items()}
        if isinstance(value, list):
            return [marked(item) for item in value]
        return value

    text = json.dumps(marked(settings), indent=2, ensure_ascii=False)
    for mark, raw in marks.items():
        text = text.replace(mark, raw)
    return text + "\n"


def ephemeral_range() -> tuple[int, int]:
    """The ports Linux hands out for outgoing connections (and for bind to port 0)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_ports(count: int, avoid: set[int]) -> list[int]:
    """Ports free now, outside the ephemeral range (an outgoing connection could take
    one of those between our check and Orthanc's bind) and none of `avoid` (the configured ports)."""
    low, high = ephemeral_range()
    pool = range(10000, low) if low > 11000 else range(high + 1, 65536)
    found: list[int] = []
    start = random.randrange(len(pool))
    for offset in range(len(pool)):
        port = pool[(start + offset) % len(pool)]
        if port in avoid or port in found:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("", port))  # Orthanc's DICOM port binds every interface
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise OSError(f"no free TCP port on 127.0.0.1 in {pool.start}-{pool.stop - 1}")
