"""The secret by which the access filter knows a request came through the proxy orthanc-harden wrote.

Behind the proxy every request reaches Orthanc from 127.0.0.1, and the filter takes the client's
address from X-Forwarded-For. Any local process can connect to 127.0.0.1 too and write that header:
without a proof, it would get the rights of a user limited to whatever address it names (issue 17,
item 4). So the generated nginx file adds a header holding a secret (and, by proxy_set_header,
replaces a client's own copy), and the filter trusts X-Forwarded-For only beside that secret.

Where it lives: in Orthanc's configuration (OPTION), which only root and Orthanc's group read and
whose diffs mask it (its name ends in Secret); the filter reads it once when Orthanc loads it
(GetOrthancConfiguration, Orthanc 0.9.4); the nginx file holds it too, and is written and installed
readable by root only (nginx's master process reads its configuration as root). Orthanc ignores an
option it does not know. Like a generated password it is made once and kept by every later run
that finds it in the configuration, so the nginx file of a second run is the same.
"""

from __future__ import annotations

import re

from wizard import secrets

HEADER = "X-Orthanc-Harden-Proxy"
OPTION = "OrthancHardenProxySecret"
FILE_MODE = 0o600  # the nginx file: root only
# What a kept secret must look like: made by secrets.generate, or as strong (at least 16 letters
# and digits, nothing that nginx's or Lua's syntax or ${VAR} substitution could read otherwise).
_KEPT = re.compile(r"[A-Za-z0-9]{16,72}")


def resolve(existing: dict) -> tuple[str, bool]:
    """The secret of this run, and whether it was made now: the configuration's own when it holds
    a usable one, else a new one."""
    found = kept(existing)
    return (found, False) if found else (secrets.generate(), True)


def kept(config: dict) -> str | None:
    """The secret a configuration keeps (what the filter reads), or None: what `verify` sends as the proxy."""
    found = config.get(OPTION)
    return found if isinstance(found, str) and _KEPT.fullmatch(found) else None
