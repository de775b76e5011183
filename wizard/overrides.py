"""`--set KEY=VALUE`: one profile answer by its dotted id, laid on top of the preset."""

from __future__ import annotations

import json

from wizard import profile
from wizard.errors import BadInput, Problem, json_path
from wizard.topics.base import put

SOURCE = "--set"


def parse(items: list[str] | None) -> dict:
    """The answers given with --set, as a partial profile; bad input names the item."""
    answers: dict = {}
    for item in items or ():
        key, sep, text = item.partition("=")
        parts = key.split(".")
        if not sep or not all(parts):
            raise BadInput(Problem(SOURCE, "$", f"{item!r}: expected KEY=VALUE with a dotted answer id, "
                                                "such as https.server_name=pacs.hospital.org"))
        node = _schema_node(parts)
        if node is None:
            raise BadInput(Problem(SOURCE, json_path(parts), f"{key!r} is not an answer of the profile "
                                                             "(see schemas/profile.schema.json)"))
        put(answers, key, _value(text, node, parts))
    problems = profile.schema_problems(answers, SOURCE)
    if problems:
        raise BadInput(problems)
    return answers


def _schema_node(parts: list[str]) -> dict | None:
    node = profile.schema()
    for part in parts:
        node = profile.resolve(node)
        properties = node.get("properties")
        if not properties or part not in properties:
            return None
        node = properties[part]
    return profile.resolve(node)


def _value(text: str, node: dict, parts: list[str]):
    """A string answer takes the text as it is; any other is read as JSON (true, 104, [...]);
    a list of strings also takes comma-separated text (10.0.0.0/8,192.168.0.0/16). Text that is
    none of these is refused without being echoed: it may hold a password."""
    if _kind(node) == "string":
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        if _kind(node) == "array" and _kind(profile.resolve(node.get("items", {}))) == "string":
            return [part.strip() for part in text.split(",") if part.strip()]
        raise BadInput(Problem(SOURCE, json_path(parts), f"is not valid JSON of type {_kind(node) or 'any'} "
                                                         "(the text is not shown: it may hold a password)")) from None


def _kind(node: dict) -> str | None:
    if "type" in node:
        return node["type"]
    if "enum" in node and all(isinstance(v, str) for v in node["enum"]):
        return "string"
    branches = [profile.resolve(b) for b in node.get("anyOf", ())]
    if branches and all(b.get("type") == "string" or isinstance(b.get("const"), str) for b in branches):
        return "string"
    return None
