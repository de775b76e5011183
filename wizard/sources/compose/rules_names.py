"""How the image's generator reads the variables, and where that betrays the admin: a name it
ignores or turns into a key nobody reads, a legacy name that stops the container, a `_SECRET`
suffix that swallows a setting, a value turned into a number where Orthanc wants text."""

from __future__ import annotations

from wizard.orthanc import release_check, releases
from wizard.orthanc import proxy_secret
from wizard.orthanc.options import OPTIONS
from wizard.sources.compose import images, names
from wizard.sources.compose.facts import facts
from wizard.sources.compose.model import Deployment, Variable
from wizard.sources.compose.rules_base import DOCKER_BOOK, at_variable, is_secret_name, is_user_name
from wizard.topics.base import Facts, Finding, Rule
from wizard.versions import parse

UNREAD = Rule(
    "OH-DOCKER-008", "medium", "Variable the image's generator ignores or misnames",
    "The generator turns only `ORTHANC__` names (two underscores) into settings: `ORTHANC_REGISTERED_USERS` "
    "is ignored without a word, and a misspelled `ORTHANC__` name becomes a key Orthanc never reads "
    "(`ORTHANC__HTTP_CORS_ENABLED` -> HttpCorsEnabled). The setting meant stays at its default.",
    needs="deployment",
    doc=DOCKER_BOOK,
    fix="spell the variable as the message says")
LEGACY = Rule(
    "OH-DOCKER-009", "critical", "Legacy variable name stops the container",
    "Since the 26.7.0 image, any variable of the generator's legacy list (deprecated since April 2020: "
    "AC_*, DICOM_*, PG_*, and generic names such as NAME, LOCALE, PLUGINS) makes the start-up script exit "
    "(-2) before Orthanc starts, even when it was meant for something else.",
    needs="deployment",
    doc="https://github.com/orthanc-server/orthanc-builder/blob/master/docker/orthanc/env-var-legacy.json",
    fix="rename it as the message says (or drop it if it was not meant for Orthanc)")
SWALLOWED = Rule(
    "OH-DOCKER-010", "medium", "A `_SECRET` suffix swallows a setting",
    "The generator reads any variable ending in `_SECRET` as the name of a file under /run/secrets holding "
    "the value of the name without the suffix: ORTHANC__ORTHANC_EXPLORER_2__KEYCLOAK__CLIENT_SECRET=abc "
    "never sets Keycloak's ClientSecret, and the value meant is written in clear for nothing.",
    needs="deployment",
    doc=DOCKER_BOOK,
    fix="mount a secret named after the variable (/run/secrets/<the variable's name>), or "
        "set the key through ORTHANC_JSON or a JSON file in /etc/orthanc")
CONVERTED = Rule(
    "OH-DOCKER-011", "high", "Text turned into a number, boolean or null",
    "The generator parses every value as JSON first: `1234` becomes a number, `true` a boolean, `null` "
    "null. Where Orthanc reads text (a password, a user name, an AET) it refuses another type at start-up; "
    "Orthanc 1.12.10 and later refuse to start on a registered user's password that is not text.",
    needs="deployment",
    doc=DOCKER_BOOK,
    fix='quote it inside the value so that it stays text: ORTHANC__DICOM_AET=\'"1234"\'')
RULES = (UNREAD, LEGACY, SWALLOWED, CONVERTED)

TEXT_KEYS = {"Password", "Username", "User", "Host", "Database", "DicomAet", "Aet", "AET", "Name", "Url",
             "ClientId", "Realm"}
TEXT_PASSWORDS_SINCE = parse("1.12.10")


def findings(deployment: Deployment, facts_: Facts) -> list[Finding]:
    generated = deployment.generated
    # The proxy's secret is read by the access filter (GetOrthancConfiguration), not by Orthanc.
    return ([ignored(v) for v in generated.ignored]
            + [unknown(v, key) for v, key in generated.unknown if key != proxy_secret.OPTION]
            + [legacy(deployment, v) for v in generated.legacy]
            + [swallowed(v, name) for v, name in generated.swallowed]
            + [f for v, path, value in generated.converted for f in converted(v, tuple(path), value, facts_)])


def known_keys() -> list[str]:
    return sorted({*facts()["known_keys"], *facts()["plugin_keys"], *releases.SINCE})


def suggestion(path: tuple[str, ...]) -> str | None:
    """The ORTHANC__ variable of the known option `path` looks like, or None."""
    head, *rest = path
    known = {key.lower(): key for key in known_keys()}
    guess = known.get(head.lower()) or next(iter(release_check.close_options(head)), None)
    if guess is None or (guess == head and not rest):
        return None
    try:
        return names.variable((guess, *rest))
    except ValueError:
        return None


def ignored(variable: Variable) -> Finding:
    meant = "ORTHANC__" + variable.name[len("ORTHANC_"):]
    try:
        path = names.key_path(meant)
    except (ValueError, IndexError):
        path = None
    right = meant if path and path[0] in known_keys() else (suggestion(path) if path else None)
    said = f" (did you mean {right}?)" if right else ""
    severity = "high" if path and path[0] in OPTIONS else None
    return at_variable(UNREAD, variable, f"{variable.name} has one underscore after ORTHANC: the generator ignores "
                       f"it{said}", recommended=right, severity=severity)


def unknown(variable: Variable, key: str) -> Finding:
    path = tuple(key.split("."))
    right = suggestion(path)
    said = f" (did you mean {right}?)" if right and right != variable.name else ""
    return at_variable(UNREAD, variable, f"{variable.name} becomes {key}, which neither Orthanc nor the image's "
                       f"plugins read{said}", recommended=right)


def replacement(name: str) -> str | None:
    """The current name of a legacy variable: its key's ORTHANC__ name, or the plugin's enabling variable."""
    key = facts()["legacy"].get(name)
    if key:
        try:
            return names.variable(tuple(key.split(".")))
        except ValueError:
            return None
    return next((p["enabling"] for p in facts()["plugins"].values() if p.get("legacy_enabling") == name), None)


def legacy(deployment: Deployment, variable: Variable) -> Finding:
    right = replacement(variable.name)
    said = f"; write {right}" if right else ""
    image = deployment.service.image or deployment.service.base or ""
    if not images.refuses(image):
        return at_variable(LEGACY, variable, f"{variable.name} is a legacy name: this image ({image}) only warns, "
                           f"but from 26.7.0 on the container stops at start-up (exit 254){said}",
                           severity="high", recommended=right)
    return at_variable(LEGACY, variable, f"{variable.name} is a legacy name: the container stops at start-up "
                       f"(the generator exits 254){said}", recommended=right)


def swallowed(variable: Variable, name: str) -> Finding:
    try:
        key = names.dotted(name)
    except (ValueError, IndexError):
        key = name
    return at_variable(SWALLOWED, variable, f"{variable.name} ends in _SECRET: the generator reads its value as "
                       f"a file name under /run/secrets, and {key} is never set")


def converted(variable: Variable, path: tuple, value, facts_: Facts) -> list[Finding]:
    kind = "null" if value is None else "a boolean" if isinstance(value, bool) else "a number"
    where = ".".join(str(p) for p in path)
    user_password = len(path) == 2 and path[0] == "RegisteredUsers"
    option = OPTIONS.get(path[0]) if len(path) == 1 else None
    wants_text = (user_password or path[-1] in TEXT_KEYS or (option is not None and option.type is str)
                  or is_secret_name(str(path[-1]).upper()) or is_user_name(str(path[-1]).upper()))
    if not wants_text:
        return []
    if user_password:
        stops = facts_.target is None or facts_.target >= TEXT_PASSWORDS_SINCE
        return [at_variable(CONVERTED, variable, f"{variable.name}: the password of {where} becomes {kind}: "
                            "Orthanc 1.12.10 and later refuse to start", severity="critical" if stops else None)]
    return [at_variable(CONVERTED, variable, f"{variable.name}: {where} becomes {kind} where Orthanc reads text: "
                        "it refuses the value at start-up")]
