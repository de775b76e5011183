"""A service's environment as docker compose v2 builds it: its `env_file`s in order (a later file
wins), then `environment` (a map or a list) over them. A bare `KEY` takes the project's
environment (process, then `.env`); left unresolved it unsets the variable, even one an env_file set."""

from __future__ import annotations

from pathlib import Path

from wizard.errors import BadInput, Problem
from wizard.jsonc import read_text
from wizard.sources.compose import dotenv
from wizard.sources.compose.compose_file import item_line, key_line, line_of
from wizard.sources.compose.model import Variable
from wizard.sources.compose.project import Project, scalar_text


def read(project: Project, name: str, node) -> tuple[dict[str, Variable], str]:
    """(variables by name, style of `environment`: "map", "list" or "none")."""
    declared, style = _declared(project, name, node)
    resolved = {key: v.value for key, v in declared.items() if v.value is not None}
    variables: dict[str, Variable] = {}
    for variable in _env_files(project, name, node, resolved, variables):
        variables.pop(variable.name, None)
        variables[variable.name] = variable
    for key, variable in declared.items():
        variables.pop(key, None)
        variables[key] = variable
    return variables, style


def _declared(project: Project, name: str, node) -> tuple[dict[str, Variable], str]:
    section = node.get("environment") if hasattr(node, "get") else None
    where = f"services.{name}.environment"
    found: dict[str, Variable] = {}
    if section is None:
        return found, "none"
    if hasattr(section, "items"):
        for key, raw in section.items():
            if hasattr(raw, "items") or isinstance(raw, list):
                raise project.refuse(f"{where}.{key}", "must be a string, number, boolean or null (quote a JSON "
                                                       "value: compose refuses a YAML mapping or list here)")
            written = raw if isinstance(raw, str) else (scalar_text(raw) or "")
            result = project.interpolate(raw, f"{where}.{key}") if isinstance(raw, str) else None
            value = result.value if result else scalar_text(raw)
            if raw is None:
                value = project.environ.get(str(key))
            found[str(key)] = Variable(str(key), value, written, project.file, key_line(section, key),
                                       tuple(result.unset) if result else ())
        return found, "map"
    if isinstance(section, list):
        for index, raw in enumerate(section):
            if hasattr(raw, "items") or isinstance(raw, list):
                raise project.refuse(f"{where}[{index}]", "must be KEY=value text")
            text = raw if isinstance(raw, str) else (scalar_text(raw) or "")
            result = project.interpolate(text, f"{where}[{index}]")
            key, equals, value = result.value.partition("=")
            if not equals:
                value = project.environ.get(key)
            found[key] = Variable(key, value, text, project.file, item_line(section, index, line_of(section)),
                                  tuple(result.unset))
        return found, "list"
    raise project.refuse(where, "must be a map or a list of KEY=value")


def _env_files(project: Project, name: str, node, resolved: dict[str, str], earlier: dict[str, Variable]):
    section = node.get("env_file") if hasattr(node, "get") else None
    if section is None:
        return
    items = [section] if isinstance(section, str) else list(section)
    for index, item in enumerate(items):
        where = f"services.{name}.env_file" + (f"[{index}]" if not isinstance(section, str) else "")
        path, required = _env_file(project, item, where)
        if not path.is_file() and not required:
            continue
        if not path.exists():
            raise project.refuse(where, f"env file {path} not found")
        text = read_text(path)

        def lookup(key: str) -> str | None:
            for source in (project.environ, resolved):
                if key in source:
                    return source[key]
            return earlier[key].value if key in earlier else None

        try:
            entries = dotenv.parse(text, lookup)
        except dotenv.DotenvError as error:
            raise BadInput(Problem(str(path), f"line {error.line}", str(error).split(": ", 1)[1])) from None
        for entry in entries:
            yield Variable(entry.key, entry.value, entry.written, path, entry.line, entry.unset)


def _env_file(project: Project, item, where: str) -> tuple[Path, bool]:
    if hasattr(item, "get"):
        raw, required = item.get("path"), item.get("required", True)
    else:
        raw, required = item, True
    if not isinstance(raw, str):
        raise project.refuse(where, "an env_file is a path")
    return project.path(project.interpolate(raw, where).value), required is not False
