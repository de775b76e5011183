"""Where each changed key of a compose service's configuration is written.

The configuration the generator builds today is compared with the wanted one key by key, walking
into objects on both sides, so that only the leaves that differ are touched. A leaf that differs
is set by the one place that sets it today; set by several places (or nowhere), it is removed
from each and written once: in the object's own place when an existing one holds its parent, else
as a new `ORTHANC__` variable. A key the wanted configuration lacks is removed where it is set; an
image default nobody set is left alone.

Secrets (the users' passwords, the peers, every `...Password`/`...Secret`) never stay in a
variable: when one differs and a variable sets any part of it, all of it moves to one secret file
(the one already holding exactly it, else a new one), and every other place stops setting it."""

from __future__ import annotations

import copy

from wizard.errors import BadInput, Problem
from wizard.orthanc.secret_spans import PLUGIN_SECRETS
from wizard.sources.compose import names, writers
from wizard.sources.compose.json_edit import ABSENT, equal, get, put
from wizard.sources.compose.model import Deployment
from wizard.sources.compose.writers import Writer

SECRET_SECTIONS = (("RegisteredUsers",), ("OrthancPeers",), ("DicomWeb", "Servers"))
# What counts as a secret is secret_spans' one table (the plugins' passwords, keys, tokens, connection
# strings): the audit masks and judges the same names.


def secret_roots(config) -> set[tuple]:
    """The key paths of `config` whose whole value is a secret."""
    found: set[tuple] = set()

    def walk(value, path):
        for section in SECRET_SECTIONS:
            if path == section:
                found.add(path)
                return
        if path and PLUGIN_SECRETS.search(path[-1]) and not isinstance(value, dict):
            found.add(path)
            return
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, (*path, key))

    walk(config if isinstance(config, dict) else {}, ())
    return found


class Plan:
    """What changes where: operations on the existing places (`writers`), new variables and new
    secrets. Nothing is rendered here (see render.py)."""

    def __init__(self, deployment: Deployment, wanted: dict):
        self.deployment = deployment
        self.old = deployment.generated.config or {}
        self.new = wanted
        self.origins = deployment.generated.origins
        self.writers = writers.find(deployment)
        self.variables: dict[str, tuple[tuple, object]] = {}  # new variable -> (its root, value)
        self.secrets: dict[tuple, object] = {}  # secret root -> the whole value of a new secret
        self.roots = secret_roots(self.old) | secret_roots(self.new)
        self.moved: set[tuple] = set()  # secret roots taken out of the variables that held them

    def all(self) -> list[Writer]:
        return list(dict.fromkeys(self.writers.values()))

    def run(self) -> Plan:
        for root in sorted(self.roots):
            old, new = get(self.old, root), get(self.new, root)
            if not equal(old, new) or (new is not ABSENT and self._written_inline(root)):
                self._secure(root, old, new)
        for key in dict.fromkeys([*self.old, *self.new]):
            self._place((key,), self.old.get(key, ABSENT), self.new.get(key, ABSENT))
        return self

    def _secure(self, root: tuple, old, new) -> None:
        found = writers.at(self.origins, self.writers, root)
        if not any(w.kind == "variable" for w in found):
            self._place(root, old, new, inside=True)
            return
        self.moved.add(root)
        keep = next((w for w in found if w.kind == "secret" and w.root == root), None)
        for writer in found:
            if writer is not keep:
                writer.put(root, ABSENT)
        if new is not ABSENT:
            if keep is not None:
                keep.put(root, new)
            else:
                self.secrets[root] = new

    def _written_inline(self, root: tuple) -> bool:
        """A secret typed into the compose file or an env_file as it is (not `${VAR}` from the
        environment of whoever starts the deployment, which a file would freeze): it moves to a
        secret file even when its value does not change."""
        found = writers.at(self.origins, self.writers, root)
        variables = [w.variable for w in found if w.kind == "variable" and w.variable is not None]
        return bool(variables) and all("$" not in variable.written for variable in variables)

    def _place(self, path: tuple, old, new, inside: bool = False) -> None:
        if not inside and path in self.roots:
            return  # secrets were placed first
        if equal(old, new):
            return
        if isinstance(old, dict) and isinstance(new, dict):
            for key in dict.fromkeys([*old, *new]):
                self._place((*path, key), old.get(key, ABSENT), new.get(key, ABSENT), inside)
            return
        found = writers.at(self.origins, self.writers, path)
        if new is ABSENT and not found:
            return  # an image default nobody set: nothing to remove
        exact = [w for w in found if w.covers(path)]
        if len(found) == 1 and exact:
            exact[0].put(path, self._cleared(path, new))
            return
        reuse = next((w for w in exact if w.root == path and w.kind == "variable"), None)
        for writer in found:
            if writer is not reuse:
                writer.put(path, ABSENT) if writer.covers(path) else writer.put(writer.root, ABSENT)
        if reuse is not None:
            reuse.put(path, self._cleared(path, new)) if new is not ABSENT else reuse.put(path, ABSENT)
        elif new is not ABSENT:
            self._add(path, new)

    def _cleared(self, path: tuple, value):
        """The value without the secrets below `path` that moved to secret files of their own."""
        if not isinstance(value, dict):
            return value
        value = copy.deepcopy(value)
        for root in self.roots:
            if len(root) > len(path) and root[: len(path)] == path and root in self.moved | set(self.secrets):
                put(value, root[len(path):], ABSENT)
        return value

    def _add(self, path: tuple, value) -> None:
        """A key set nowhere today: into the secret it belongs to, the place that holds its parent,
        or a new variable (the longest part of the path a variable name can spell)."""
        root = next((r for r in self.roots if path[: len(r)] == r), None)
        parent = writers.holder(self.origins, self.writers, path)
        if parent is not None and not (root and parent.kind == "variable"):
            parent.put(path, self._cleared(path, value))
        elif root is not None:
            whole = self.secrets.get(root, {} if path != root else ABSENT)
            if path == root:
                whole = value
            else:
                put(whole, path[len(root):], value)
            self.secrets[root] = whole
        else:
            self._new_variable(path, self._cleared(path, value))

    def _new_variable(self, path: tuple, value) -> None:
        for end in range(len(path), 0, -1):
            try:
                name = names.variable(path[:end])
            except ValueError:
                continue
            if name in self.variables:
                held = self.variables[name][1]
                put(held, path[end:], value)
                return
            whole = value
            for key in reversed(path[end:]):
                whole = {key: whole}
            self.variables[name] = (path[:end], whole)
            return
        where = f"services.{self.deployment.service.name}"
        raise BadInput(Problem(str(self.deployment.file), where, f"{'.'.join(path)}: no ORTHANC__ variable can "
                               "set this key (the generator's naming rule cannot spell it): set it in a mounted "
                               "JSON file or in ORTHANC_JSON first"))
