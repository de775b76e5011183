"""Where a finding is: the file Orthanc takes its key from, and the line of that key there."""

from __future__ import annotations

import bisect
import dataclasses
import re

from wizard.orthanc.config_files import ConfigFile, ConfigSet
from wizard.orthanc.document import Node
from wizard.topics.base import Finding


class Locator:
    """Finds files and lines for many findings in one pass each: a configuration with 10,000
    modalities has as many findings, and each must not walk the whole file again."""

    def __init__(self, config: ConfigSet):
        self.config = config
        self._newlines: dict[str, list[int]] = {}
        self._members: dict[int, dict] = {}

    def locate(self, finding: Finding) -> Finding:
        if finding.file is not None or not finding.path:
            return finding
        if self.config.deployment is not None:  # a compose service: the line that sets it, or the service's
            origin = self.config.origin(finding.path)
            return dataclasses.replace(finding, file=origin.file, line=origin.line)
        top = finding.path[0]
        holder = self.config.holders.get(top)
        if holder is None:  # not set: it belongs where a new key would go
            return dataclasses.replace(finding, file=str(self.config.home(top).path))
        offset = self._offset(holder, finding.path)
        return dataclasses.replace(finding, file=str(holder.path), line=self.line(holder, offset))

    def line(self, file: ConfigFile, offset: int) -> int:
        newlines = self._newlines.get(file.name)
        if newlines is None:
            newlines = self._newlines[file.name] = [m.start() for m in re.finditer("\n", file.doc.text)]
        return bisect.bisect_left(newlines, offset) + 1

    def _offset(self, holder: ConfigFile, path: tuple) -> int:
        """The start of the deepest key of `path` the file has (Orthanc keeps a key's last copy)."""
        member = self._named(holder.doc.root)[path[0]]
        node, offset = member.node, member.key_start
        for part in path[1:]:
            if isinstance(part, str) and node.members is not None and part in self._named(node):
                member = self._named(node)[part]
                node, offset = member.node, member.key_start
            elif isinstance(part, int) and node.items is not None and 0 <= part < len(node.items):
                node = node.items[part]
                offset = node.start
            else:
                break
        return offset

    def _named(self, node: Node) -> dict:
        named = self._members.get(id(node))
        if named is None:
            named = self._members[id(node)] = {m.key: m for m in node.members}
        return named
