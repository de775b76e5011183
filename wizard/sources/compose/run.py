"""One run of the generator: the container's environment, what was merged so far, and what it saw."""

from __future__ import annotations

from wizard.sources.compose import names
from wizard.sources.compose.builder_text import value as parsed
from wizard.sources.compose.facts import facts
from wizard.sources.compose.merge import Merger, nested
from wizard.sources.compose.model import Generated, Origin, Variable
from wizard.sources.compose.plugins import Switches


class Stop(Exception):
    """The generator exits: status as a shell sees it, and its own words."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


class Run:
    def __init__(self, variables: dict[str, Variable]):
        self.variables = {name: v for name, v in variables.items() if v.value is not None}
        self.environ = {**facts()["image_environment"], **{n: v.value for n, v in self.variables.items()}}
        self.warnings: list[str] = []  # WARNING and ERROR lines, in the generator's order
        self.merger = Merger(self.warnings)
        self.switches = Switches(warnings=self.warnings)
        self.pointers: dict[str, tuple[str, Variable]] = {}  # secret file -> (variable it sets, pointer)
        self.deprecated: list[str] = []
        self.errors = False
        self.ignored: list[Variable] = []
        self.unknown: list[tuple[Variable, str]] = []
        self.legacy: list[Variable] = []
        self.swallowed: list[tuple[Variable, str]] = []
        self.converted: list[tuple[Variable, tuple, object]] = []
        if self.environ.get("BUNDLE_DEBUG") in ("", "true"):
            self.warnings.append(facts()["messages"]["bundle_debug"])

    def setting(self, name: str, text: str, variable: Variable, label: str, origin: Origin) -> None:
        """A variable (or secret) that names a key: its value parsed as JSON when it parses."""
        path = names.key_path(name)
        result = parsed(text)
        if result is None or isinstance(result, (bool, int, float)):
            self.converted.append((variable, path, result))
        if path[0] not in facts()["known_keys"] and path[0] not in facts()["plugin_keys"]:
            self.unknown.append((variable, ".".join(path)))
        self.merger.merge(nested(path, result), label, origin)

    def read_secret(self, name: str, content: str, variable: Variable, origin: Origin) -> None:
        """A secret's content for the variable `name`; a name that is no setting is skipped silently."""
        try:
            names.tokens(name)
        except ValueError:
            return
        self.setting(name, content, variable, "secret:" + name, origin)

    def result(self, config: dict | None, status: int, reason: str | None) -> Generated:
        return Generated(config, status, reason, dict(self.merger.origins) if config is not None else {},
                         self.ignored, self.unknown, self.legacy, self.swallowed, self.converted, self.warnings)

    def deprecate(self, name: str, variable: Variable) -> None:
        self.deprecated.append(name)
        self.legacy.append(variable)
