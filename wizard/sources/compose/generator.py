"""The configuration the orthancteam/orthanc image builds at start-up, each key with its origin.

Reproduces the image's generateConfiguration.py (orthanc-builder, images 26.8.x): the JSON files of
/etc/orthanc then /run/secrets (after `envsubst`, comments removed), every environment variable (in
the order bash hands them over), every file under /run/secrets, then the image's and the enabled
plugins' defaults; then its refusals (-2 legacy names, -1 errors, -3 no user) and ORTHANC_PASSWORD.
What the generator does by accident is reproduced too: a broken first file stops it with a Python
error (exit 1), a dict merged into a text stops it the same way."""

from __future__ import annotations

from pathlib import Path

from wizard.sources.compose import names
from wizard.sources.compose.builder_text import envsubst, parse
from wizard.sources.compose.facts import facts, message
from wizard.sources.compose.json_lines import key_lines
from wizard.sources.compose.model import Generated, Origin, Variable
from wizard.sources.compose.plugins import apply_defaults
from wizard.sources.compose.run import Run, Stop
from wizard.sources.compose.shell_order import bash_order

# Python errors the generator does not catch: the container stops with status 1.
CRASHES = (TypeError, AttributeError, IndexError)


def generate(variables: dict[str, Variable], files: list[tuple[str, str | None, str | None]],
             secrets: list[tuple[str, str | None, str | None]]) -> Generated:
    """What Orthanc reads, or why the container stops.

    variables: the container's environment (a value of None is not set). files: (container path,
    host path, text) of what is mounted in /etc/orthanc; secrets: (name under /run/secrets, host
    path, text). A text of None could not be read as UTF-8, which stops the generator. Files and
    secrets are taken in the order given (the generator takes directory order)."""
    run = Run(variables)
    try:
        _files(run, files, secrets)
        _variables(run)
        _secrets(run, secrets)
        apply_defaults(run.merger, run.switches)
        config = _finish(run)
    except Stop as stop:
        return run.result(None, stop.status, stop.reason)
    except CRASHES as error:
        return run.result(None, 1, f"{type(error).__name__}: {error}")
    return run.result(config, 0, None)


def _files(run: Run, files, secrets) -> None:
    etc = [(path, host, text, "file") for path, host, text in files if _globbed(path, "/etc/orthanc/", ".json")]
    run_secrets = [("/run/secrets/" + name, host, text, "secret") for name, host, text in secrets
                   if _globbed("/run/secrets/" + name, "/run/secrets/", ".json")]
    previous = None
    for path, host, text, kind in etc + run_secrets:
        if text is None:
            raise _not_text(path)
        label = "file:" + path
        try:
            content = parse(envsubst(_newlines(text), run.environ, facts()["argv0"]))
        except ValueError:
            run.warnings.append(message("bad_file", path=path))
            if previous is None:  # the generator merges a variable it never set
                raise Stop(1, "\n".join([message("bad_file", path=path), message("first_file_crash")])) from None
            content, path, host, text, kind = previous  # merged again, logged under the broken file's name
        previous = (content, path, host, text, kind)
        lines = key_lines(text)
        run.merger.merge(content, label, lambda key, h=host, p=path, k=kind: Origin(k, h, lines.get(key), p))


def _not_text(path: str) -> Stop:
    """The generator reads every file it finds as UTF-8 text: a binary one (a DER key as a secret) stops it."""
    return Stop(1, f"UnicodeDecodeError: {path} is not UTF-8 text, and the generator reads it as text")


def _newlines(text: str) -> str:
    """As Python's text mode reads a file: CRLF and CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _globbed(path: str, folder: str, suffix: str = "") -> bool:
    """Whether glob(folder + "*" + suffix) finds the path: a direct child, not hidden."""
    name = path[len(folder):] if path.startswith(folder) else ""
    return bool(name) and "/" not in name and not name.startswith(".") and name.endswith(suffix)


def _variables(run: Run) -> None:
    for name in bash_order(list(run.environ)):
        if name not in run.variables:
            continue  # the image's own environment sets nothing the generator reads
        variable = run.variables[name]
        text = run.environ[name]
        if name == "ORTHANC_JSON":
            _orthanc_json(run, variable, text)
        elif names.is_pointer(name):
            run.pointers[text] = (name[: -len(names.POINTER)], variable)
        elif names.is_setting(name):
            if names.is_legacy(name):
                run.warnings.append(message("legacy_variable", name=name))
                run.deprecate(name, variable)
            run.setting(name, text, variable, "env-var:" + name, _origin(variable))
        else:
            seen = run.switches.see(name, text)
            if seen == "legacy":
                run.deprecate(name, variable)
            elif not seen and name.startswith("ORTHANC_") and name != "ORTHANC_PASSWORD":
                run.ignored.append(variable)


def _orthanc_json(run: Run, variable: Variable, text: str) -> None:
    try:
        config = parse(text)
    except ValueError:
        run.warnings.append(message("bad_orthanc_json"))
        run.errors = True
        return
    lines = key_lines(text) if _literal_block(variable) else {}
    run.merger.merge(config, "env-var: ORTHANC_JSON",
                     lambda path: Origin("variable", str(variable.file), variable.line + lines.get(path, 0), variable.name))


def _literal_block(variable: Variable) -> bool:
    """A `|` block in the compose file: its JSON's line N is the variable's line + N."""
    return (type(variable.written).__name__ == "LiteralScalarString"
            and variable.written.count("\n") == (variable.value or "").count("\n"))


def _secrets(run: Run, secrets) -> None:
    for name, host, text in secrets:
        if not _globbed("/run/secrets/" + name, "/run/secrets/"):
            continue
        if text is None:
            raise _not_text("/run/secrets/" + name)
        content = _newlines(text).rstrip("\n")
        origin = Origin("secret", host, None, "/run/secrets/" + name)
        if name in run.pointers:
            target, pointer = run.pointers.pop(name)
            run.read_secret(target, content, _as_variable(target, content, host, name, pointer), origin)
        elif names.is_setting(name):
            secret = _as_variable(name, content, host, name)
            if names.is_legacy(name):
                run.warnings.append(message("legacy_secret", name=name))
                run.deprecate(name, secret)
            run.read_secret(name, content, secret, origin)
    run.swallowed.extend((pointer, target) for target, pointer in run.pointers.values())


def _finish(run: Run) -> dict:
    if run.deprecated:
        raise Stop(254, "\n".join([*facts()["messages"]["legacy_stop"],
                                   *(message("legacy_item", name=name) for name in run.deprecated)]))
    if run.errors:
        raise Stop(255, "\n".join([*(w for w in run.warnings if w.startswith("ERROR")), message("errors_stop")]))
    config = run.merger.config
    password = run.environ.get("ORTHANC_PASSWORD")
    if password:
        origin = _origin(run.variables["ORTHANC_PASSWORD"])
        if "RegisteredUsers" not in config or len(config["RegisteredUsers"]) == 0:
            config["RegisteredUsers"] = {"orthanc": password}
            run.merger.claim(("RegisteredUsers",), config["RegisteredUsers"], origin)
        else:
            config["RegisteredUsers"]["orthanc"] = password
            run.merger.claim(("RegisteredUsers", "orthanc"), password, origin)
    remote = "RemoteAccessAllowed" not in config or config["RemoteAccessAllowed"]
    authentication = "AuthenticationEnabled" not in config or config["AuthenticationEnabled"]
    if remote and authentication and ("RegisteredUsers" not in config or len(config["RegisteredUsers"]) == 0):
        raise Stop(253, message("no_user_stop"))
    return config


def _origin(variable: Variable) -> Origin:
    return Origin("variable", str(variable.file), variable.line, variable.name)


def _as_variable(name: str, content: str, host: str | None, secret: str, pointer: Variable | None = None) -> Variable:
    """A secret as the variable it stands for (for the lists of converted and legacy names)."""
    where = Path(host) if host else Path("/run/secrets") / secret
    return Variable(name, content, pointer.written if pointer else "", where, 1)

