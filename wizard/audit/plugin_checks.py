"""A plugin's section in a configuration whose plugin Orthanc does not load (OH-FILE-006).

Only what is sure is said: a `Plugins` entry holding a ${VAR}, or a folder (looked in only for
this host's own configuration, under /etc/orthanc), may load anything, and then nothing is said. A compose service's image loads the plugins its
generator enables (a `*_PLUGIN_ENABLED` variable, or the section itself for most plugins), not what
its own `Plugins` folders hold on this host."""

from __future__ import annotations

from pathlib import Path

from wizard.orthanc import plugin_sections
from wizard.sources.compose.facts import facts as image_facts
from wizard.sources.compose.plugins import Switches, enabled
from wizard.topics.base import Facts, Finding, Rule

# The folder of this host's configuration (Debian's): only then are the folders of Plugins this
# host's too, and looked in. A file copied from a Docker image names the image's folders.
HOST_CONFIG = Path("/etc/orthanc")


def without_plugin(config: dict, facts: Facts, rule: Rule) -> list[Finding]:
    found, said = [], set()
    for key in config:
        section = plugin_sections.section_of(key)
        if section is None or section in said or section != key and section in config:
            continue  # PythonScript beside a Python section, or PythonVerbose after it: said once
        said.add(section)
        why = _why_not_loaded(section, config, facts)
        if why:
            ignored = "this section" if key == section else f"this option of the {section} plugin"
            found.append(rule.found(key, f"{key}: {why}: Orthanc ignores {ignored}"))
    return found


def _why_not_loaded(section: str, config: dict, facts: Facts) -> str | None:
    if facts.deployment is not None:
        return _image_ignores(section, config, facts.deployment)
    if not plugin_sections.missing(section, config.get("Plugins"), _this_hosts(facts)):
        return None
    known = plugin_sections.SECTIONS[section]
    libraries = " or ".join(f"lib{name}.so" for name in known.libraries)
    package = f" (Debian: apt-get install {known.package})" if known.package else ""
    if "Plugins" not in config:
        return (f"Plugins is not set, so no plugin is loaded, {libraries} neither{package}; a Docker image "
                "that sets Plugins itself is audited through its compose file")
    looked = " (its folders as they are on this host)" if any(
        isinstance(entry, str) and plugin_sections.library(entry.rsplit("/", 1)[-1]) is None
        for entry in config["Plugins"] or ()) else ""
    return f"Plugins{looked} loads no {libraries}{package}"


def _this_hosts(facts: Facts) -> bool:
    files = facts.files.files if facts.files is not None else ()
    return bool(files) and all(Path(file.path).resolve().is_relative_to(HOST_CONFIG) for file in files)


def _image_ignores(section: str, config: dict, deployment) -> str | None:
    """Why the orthancteam image's generator leaves the plugin of `section` off, if it does."""
    specs = {name: spec for name, spec in image_facts()["plugins"].items() if spec["section"] == section}
    if not specs:
        return None  # not a plugin the image ships: judged by nothing here
    switches = Switches()
    for name, variable in deployment.service.environment.items():
        if variable.value is not None:
            switches.see(name, variable.value)
    if set(specs) & set(enabled(config, switches)):
        return None
    variables = " or ".join(f"{spec['enabling']}=true" for spec in specs.values())
    return f"the image loads its plugin only with {variables}"
