"""The order in which the generator meets the container's variables.

The image's entrypoint is a bash script that runs the generator, and bash hands its children the
environment in the order of its variable hash table (FNV-1 hash, 1024 buckets; a bucket lists its
latest variable first), whatever order Docker gave. Measured with bash 5.2: `env -i B=1 A=2 bash -c
'python3 -c "import os; print(list(os.environ))"'` prints the same order for any input order.
Order matters when two variables set one key (ORTHANC_JSON and an ORTHANC__ name): the later wins."""

from __future__ import annotations

_BUCKETS = 1024


def _fnv1(name: str) -> int:
    value = 2166136261
    for byte in name.encode():
        value = (value * 16777619) & 0xFFFFFFFF
        value ^= byte
    return value


def bash_order(names: list[str]) -> list[str]:
    """`names` (in the order Docker sets them) in the order bash exports them."""
    position = {name: index for index, name in enumerate(names)}
    return sorted(names, key=lambda name: (_fnv1(name) % _BUCKETS, -position[name]))
