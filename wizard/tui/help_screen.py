"""F1: the whole topic's help, each question's hardened choice, and the keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from wizard.tui import describe
from wizard.tui.widgets.keybar import KeyBar

KEYS = """\
- **Tab, Shift+Tab**: next, previous field
- **Space, Enter**: flip a switch, choose an option, press a button
- **Ctrl+N, Ctrl+P**: next, previous step (Next checks this topic's answers)
- **Ctrl+T**: the list of topics (Enter opens one)
- **Ctrl+R**: review the changes
- **a**: add a user, modality or peer (anywhere on its topic but in a text field)
- **Enter, Delete**: in a table: edit, remove an item
- **F1**: this help; Escape closes it
- **Ctrl+Q**: quit (asks first when answers are not saved; never writes)

## The sidebar's marks

| Mark | Topic |
|---|---|
| ○ open | not seen yet: its answers are the hardened defaults, or the configuration's |
| ● done | seen, and its answers have no problem |
| ✗ fix | an answer has a problem: Next and the review wait until it is fixed |
| – skipped | no question applies (the HTTP server off skips authentication, HTTPS, web) |

Below the marks, the findings: every problem (✗) and warning (!) of the answers, each in full;
Tab reaches the list, the arrows scroll it.
"""


REVIEW_HELP = """\
# Review and write

Nothing is written yet. **Summary** says first what changes who can reach Orthanc, then who can
reach it with these files, then each file. **Changes** is the diff, the configuration's files
first, passwords masked; a line whose value surprises says why beside it. **Access filter** is the
Lua filter, **Checklist** the manual steps, **Notes** every warning and note.

- **Left, Right (on the tabs, where the review opens)**: the previous, next tab
- **Tab**: from the tabs into the pane, then the buttons
- **Up, Down, Page Up, Page Down, Home, End**: scroll the pane
- **Left, Right (in a pane)**: scroll sideways: long lines are kept whole
- **w**: write the files: asks first, "Stay" is the default
- **s**: save the answers as a profile, for `orthanc-harden apply --preset FILE`
- **r**: read the configuration again, when it changed on disk (offered then)
- **Ctrl+P**: back to the topics
"""


def topic_help(topic, answers: dict | None = None) -> str:
    parts = [f"# {topic.TITLE}\n", (topic.__doc__ or "").strip() + "\n"]
    for question in topic.QUESTIONS:
        choice = describe.hardened(question, answers)
        parts.append(f"## {question.title}\n\n{question.help}\n\n"
                     + (f"**Hardened choice:** {choice}  \n" if choice is not None else "")
                     + f"**Profile key:** `{question.id}`\n")
    return "\n".join(parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def __init__(self, topic=None, page: str | None = None, answers: dict | None = None) -> None:
        super().__init__()
        self.topic, self.page, self.answers = topic, page, answers

    def compose(self) -> ComposeResult:
        text = self.page or (topic_help(self.topic, self.answers) if self.topic else "# orthanc-harden\n")
        text += "\n## Keys\n\n" + KEYS
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static("Help (Escape to close)", classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Markdown(text)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()
