"""Which of the image's plugins the generator enables, and the defaults it then adds.

A plugin is on when its `*_PLUGIN_ENABLED` variable says anything but `false`, when its section is
in the configuration (unless the plugin needs its variable, as the web viewers sharing
`WebViewer` do), when it is on by default (Gdcm, Orthanc Explorer 2), and off whenever its variable
says `false`."""

from __future__ import annotations

from dataclasses import dataclass, field

from wizard.sources.compose.facts import facts, message
from wizard.sources.compose.merge import Merger
from wizard.sources.compose.model import Origin

DEFAULT = Origin("default", name="image default")


@dataclass
class Switches:
    on: set[str] = field(default_factory=set)
    off: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)  # the run's log, in order

    def see(self, name: str, value: str) -> str:
        """Take a variable that is not a setting: "switch" when it switches a plugin, "legacy" when it
        does so by a legacy name (which stops the container), else ""."""
        seen = ""
        for plugin, spec in facts()["plugins"].items():
            for key in ("enabling", "legacy_enabling"):
                if spec.get(key) != name:
                    continue
                seen = seen or "switch"
                (self.off if value == "false" else self.on).add(plugin)
                if key == "legacy_enabling":
                    self.warnings.append(message("legacy_enabling", plugin=plugin, new=spec["enabling"], old=name))
                    seen = "legacy"
        return seen


def enabled(config: dict, switches: Switches) -> list[str]:
    names = []
    for plugin, spec in facts()["plugins"].items():
        if spec.get("variable_required"):
            on = plugin in switches.on
        else:
            on = spec["section"] in config or plugin in switches.on or spec.get("root_setting") in config
        if (spec.get("by_default") or on) and plugin not in switches.off:
            names.append(plugin)
    return names


def apply_defaults(merger: Merger, switches: Switches) -> None:
    """The image's defaults, then each enabled plugin's, where nothing was set."""
    merger.merge(facts()["defaults"], "defaults:orthanc", DEFAULT, overwrite=False)
    for plugin in enabled(merger.config, switches):
        spec = facts()["plugins"][plugin]
        if "defaults" in spec:
            merger.merge({spec["section"]: spec["defaults"]}, "defaults:" + plugin, DEFAULT, overwrite=False)
