"""What `show` prints: the configuration Orthanc reads, secrets masked, and each key's origin."""

from __future__ import annotations

import json

from wizard import sources
from wizard.audit.locate import Locator
from wizard.orthanc.config_files import ConfigSet
from wizard.orthanc.secret_spans import masked
from wizard.topics.base import Finding


def masked_values(config: ConfigSet) -> dict:
    """The merged values with every secret replaced by the mask (one definition: secret_spans)."""
    return json.loads(masked(json.dumps(config.values, ensure_ascii=False)))


def leaves(value, path: tuple = ()):
    """(path, value) of every scalar, list and empty object; objects are walked."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    else:
        yield path, value


def origins(config: ConfigSet) -> list[tuple[tuple, str]]:
    """Each leaf's path and where it is set, as `file:line` or a compose origin."""
    found = []
    if sources.is_compose(config):
        return [(path, str(config.origin(path))) for path, _ in leaves(config.values)]
    locator = Locator(config)
    for path, _ in leaves(config.values):
        where = locator.locate(Finding("", "info", path[0], "", path=path))
        found.append((path, f"{where.file}:{where.line}" if where.line else str(where.file)))
    return found


def dotted(path: tuple) -> str:
    return ".".join(str(part) for part in path)


def text(config: ConfigSet, with_origin: bool) -> str:
    values = masked_values(config)
    if not with_origin:
        return json.dumps(values, indent=2, ensure_ascii=False) + "\n"
    shown = dict(leaves(values))
    return "".join(f"{where}\t{dotted(path)}={json.dumps(shown[path], ensure_ascii=False)}\n"
                   for path, where in origins(config))


def as_json(config: ConfigSet, with_origin: bool) -> str:
    data = {"source": str(config.path), "kind": kind(config), "configuration": masked_values(config),
            "stops": None}
    if sources.is_compose(config):
        deployment = config.deployment
        data["service"] = deployment.service.name
        if deployment.generated.exit != 0:
            data["stops"] = {"exit": deployment.generated.exit, "reason": stop_reason(config)}
    if with_origin:
        data["origins"] = {dotted(path): where for path, where in origins(config)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def kind(config: ConfigSet) -> str:
    if sources.is_compose(config):
        return "compose"
    return "folder" if config.path.is_dir() else "file"


def stop_reason(config: ConfigSet) -> str | None:
    if not sources.is_compose(config) or config.deployment.generated.exit == 0:
        return None
    from wizard.sources.compose.source import stop_message
    return stop_message(config.deployment)
