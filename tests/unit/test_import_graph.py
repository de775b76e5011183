"""The package's modules import each other without circles, counting the imports made inside
functions too: a circle hidden in a function works today and breaks on the next reordering."""

import ast
import graphlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "wizard"


def module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def imported(tree: ast.AST, known: dict[str, Path]) -> set[str]:
    """The package's modules one file imports anywhere in it (`from wizard import x` names x)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("wizard"):
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in known else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
    return found & set(known)


def test_no_module_of_the_package_imports_itself_through_another():
    known = module_names()
    graph = {name: imported(ast.parse(path.read_text()), known) - {name} for name, path in known.items()}
    graph = {name: {d for d in deps if not name.startswith(d + ".")} for name, deps in graph.items()}
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        raise AssertionError(f"import circle: {' -> '.join(error.args[1])}") from None


def test_the_commands_do_not_import_the_command_line_back():
    known = module_names()
    for name, path in known.items():
        if name.startswith("wizard.commands"):
            assert "wizard.cli" not in imported(ast.parse(path.read_text()), known), name
