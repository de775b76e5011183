"""The list questions in the line-by-line mode: users, modalities and peers, one item at a time."""

from __future__ import annotations

import copy

from wizard import password_checks
from wizard.flow import Flow, parse_networks
from wizard.orthanc.sop_classes import parse_text
from wizard.topics.base import Question
from wizard.tui import describe
from wizard.tui.lines import Lines

NOUNS = {"users": "user", "modalities": "modality", "peers": "peer"}
# Stand-ins for the fields not asked yet, so that each field is checked on its own.
BLANKS = {
    "users": {"name": "placeholder", "role": "read-only", "password": {"generate": True}, "from": []},
    "modalities": {"name": "placeholder", "aet": "PLACEHOLDER", "host": "127.0.0.1", "port": 104, "allow": ["echo"]},
    "peers": {"name": "placeholder", "url": "https://placeholder.invalid"},
}


def edit_list(flow: Flow, question: Question, lines: Lines) -> None:
    """Show the items; add, edit or remove until Done is chosen with no problem left."""
    noun = NOUNS[question.kind]
    while True:
        items = copy.deepcopy(flow.value(question.id))
        lines.say(f"{question.title}: " + (", ".join(_describe(question.kind, i) for i in items) or "none"))
        options = [("done", "Done"), ("add", f"Add a {noun}")]
        options += [(("edit", n), f"Edit {i['name']}") for n, i in enumerate(items)]
        options += [(("remove", n), f"Remove {i['name']}") for n, i in enumerate(items)]
        action = lines.choice(question.title, options, "done")
        if action == "done":
            problems = flow.problems_of(question.id)
            if not problems:
                return
            lines.refuse(question.title, "done", "; ".join(p.message for p in problems))
        elif action == "add":
            items.append(_ask_item(flow, question, None, lines))
        elif action[0] == "edit":
            items[action[1]] = _ask_item(flow, question, action[1], lines)
        else:
            del items[action[1]]
        flow.answer(question.id, items)


def _describe(kind: str, item: dict) -> str:
    if kind == "users":
        return f"{item['name']} ({item['role']}, from {describe.networks(item['from'])})"
    if kind == "modalities":
        stores = f"; stores {', '.join(item['stores'])}" if "stores" in item else ""
        return f"{item['name']} ({item['aet']}@{item['host']}:{item['port']}: {', '.join(item['allow'])}{stores})"
    return f"{item['name']} ({item['url']})"


def _ask_item(flow: Flow, question: Question, index: int | None, lines: Lines) -> dict:
    item = copy.deepcopy(flow.value(question.id)[index]) if index is not None else copy.deepcopy(BLANKS[question.kind])
    fresh = index is None

    def check(key, value, provided=None, but=()):
        problems = flow.item_problems(question.id, index, {**item, key: value}, provided).get(key, [])
        problems = [p for p in problems if p not in but]
        return problems[0] if problems else None

    def text(key, title, parse=str, default=""):
        shown = default if fresh else _shown(item.get(key, default))
        item[key] = parse(lines.text(title, shown, lambda t: check(key, parse(t))))

    if question.kind == "users":
        text("name", "Name")
        item["role"] = lines.choice("Role", [(r, r) for r in describe.roles()], item["role"])
        text("from", "Networks it may come from (empty: any)", parse_networks, "")
        _password(flow, item, lines, check, describe.USER_PASSWORD_MODES)
    elif question.kind == "modalities":
        text("name", "Name (letters, digits, _ and -)")
        text("aet", "AET")
        text("host", "IP address")
        text("port", "Port", lambda t: int(t) if t.strip().isdigit() else t, "104")
        item["allow"] = lines.many("Commands it may use", describe.commands(), item["allow"],
                                   lambda chosen: check("allow", chosen))
        if "store" in item["allow"] and (describe.stores_offered(flow.answers) or "stores" in item):
            _stores(item, lines, lambda candidate: flow.item_problems(question.id, index, candidate))
    else:
        text("name", "Name (letters, digits, _ and -)")
        text("url", "URL", default="https://")
        username = lines.text("User it logs in as (empty: none)", item.get("username", ""))
        item.pop("username", None), item.pop("password", None)
        if username:
            item["username"] = username
            _password(flow, item, lines, check, describe.PEER_PASSWORD_MODES)
    return item


def _shown(value) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def _stores(item: dict, lines: Lines, problems_of) -> None:
    """The kinds a modality may store, typed on one line; empty: any kind (no `stores`)."""
    def with_kinds(text: str) -> dict:
        kinds = parse_text(text)
        return {**{k: v for k, v in item.items() if k != "stores"}, **({"stores": kinds} if kinds else {})}

    def check(text: str):
        problems = problems_of(with_kinds(text)).get("stores", [])
        return problems[0] if problems else None

    answer = lines.text("Kinds it may store (CT, MR, US... or SOP classes; empty: any)",
                        ", ".join(item.get("stores", [])), check)
    kinds = with_kinds(answer)
    item.clear()
    item.update(kinds)


def _password(flow: Flow, item: dict, lines: Lines, check, modes: tuple[str, ...]) -> None:
    current = describe.password_mode(item.get("password", {"generate": True}))
    modes = modes + (("keep",) if current == "keep" else ())
    mode = lines.choice("Password", [(m, describe.PASSWORD_LABELS[m]) for m in modes],
                        current if current in modes else modes[0])
    if mode == "type":
        item["password"] = _secret(lines, "Password (not shown)", lambda t: check("password", t))
        if "role" in item:  # a user's: rated (a peer's password is the peer's to choose)
            lines.say(f"  {password_checks.rate(item['name'], item['password']).said}")
    elif mode == "env":
        name = lines.text("Environment variable", item.get("password", {}).get("env", "") if current == "env" else "",
                          lambda t: check("password", {"env": t}, but=(password_checks.unset_message(t),)))
        item["password"] = {"env": name}
        if password_checks.unset(item["password"]):
            lines.say(f"  ${name} is not set in the wizard's environment: its value, typed now, is for this run only, "
                      f"never saved (export ${name} for later runs of apply)")
            value = _secret(lines, f"Value of ${name} for this run (not shown)",
                            lambda t: check("password", {"env": name}, {name: t}))
            flow.provide(name, value)
    else:
        item["password"] = {mode: True}


def _secret(lines: Lines, title: str, check) -> str:
    """A password typed twice (not echoed on a terminal, never repeated in a log) until both agree."""
    while True:
        answer = lines.text(title, check=check, secret=True)
        if lines.text("The same again", secret=True) == answer:
            return answer
        lines.refuse("The same again", "(not shown)", "the two passwords typed differ")
