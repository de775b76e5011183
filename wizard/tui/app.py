"""The Textual wizard: one app built by one factory from plain data; the flow decides the steps."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen

from wizard.flow import DONE, REVIEW, START, Flow, Origin
from wizard.tui.confirm_screen import ConfirmScreen, quitting, starting_over
from wizard.tui.messages import Picked, Started
from wizard.tui.start_screen import StartScreen
from wizard.tui.step_screen import StepScreen
from wizard.tui.topic_screen import TopicScreen

NAVIGATION = {"next", "back", "review", "topics", "help"}
HIDDEN = {"next": (REVIEW, DONE), "back": (START, DONE), "review": (START, REVIEW, DONE), "topics": (DONE,)}


class WizardApp(App[int]):
    CSS_PATH = "wizard.tcss"
    TITLE = "orthanc-harden"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding("ctrl+n", "next", "Next"),
        Binding("ctrl+p", "back", "Back"),
        Binding("ctrl+t", "topics", "Topics"),
        Binding("ctrl+r", "review", "Review"),
        Binding("f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, flow: Flow, preselect: str | None = None) -> None:
        super().__init__()
        self.flow = flow
        self.preselect = preselect

    def on_mount(self) -> None:
        # Pushed over the default screen, so that each step can replace the one before it.
        self.push_screen(StartScreen(self.flow, self.preselect))

    def check_action(self, action: str, parameters) -> bool | None:
        """Moving between steps is for the step screens, not for an open dialog; keys that
        cannot work on a step are hidden from its footer."""
        if action in NAVIGATION and isinstance(self.screen, ModalScreen):
            return False
        return self.flow.step not in HIDDEN.get(action, ())

    def show_step(self) -> None:
        """Show the screen of the flow's current step."""
        flow = self.flow
        if flow.step == START:
            screen = StartScreen(flow, self.preselect)
        elif flow.step == REVIEW:
            from wizard.tui.review_screen import ReviewScreen  # Markdown and Syntax: loaded when needed
            screen = ReviewScreen(flow)
        elif flow.step == DONE:
            from wizard.tui.done_screen import DoneScreen
            screen = DoneScreen(flow)
        else:
            screen = TopicScreen(flow, flow.step)
        self.switch_screen(screen)

    def go(self, reason: str | None) -> None:
        if reason is None:
            self.show_step()
        elif isinstance(self.screen, StepScreen):
            self.screen.say(reason)

    def on_started(self, message: Started) -> None:
        origin = self.flow.origin_by_key(message.origin_key)
        if self.flow.dirty and origin is not self.flow.origin:
            self.push_screen(starting_over(origin.label), lambda yes: self._begin(origin) if yes else None)
        else:
            self._begin(origin)

    def _begin(self, origin) -> None:
        self.flow.begin(origin)
        self.show_step()

    def on_picked(self, message: Picked) -> None:
        if message.step != self.flow.step:
            self.decided(lambda: self.go(self.flow.go(message.step)), message.step)

    def action_next(self) -> None:
        if self.flow.step in self.flow.topics:
            self.decided(lambda: self.go(self.flow.next()))
        elif self.flow.step == START:
            self.screen.action_start()

    def decided(self, then, target: str | None = None) -> None:
        """Leaving Authentication (or opening the review), ask first about each admin the
        configuration gave full access from any address (flow.open_admins), then move; Escape stays."""
        leaving = self.flow.step == "authentication" or target == REVIEW
        names = self.flow.open_admins() if leaving and self.flow.step not in (START, REVIEW, DONE) else []
        if not names:
            then()
            return
        from wizard.tui.admin_screen import AdminScreen

        def chosen(choice: str | None) -> None:
            if choice is not None:
                self.flow.settle_admin(names[0], choice)
                if isinstance(self.screen, StepScreen):
                    self.screen.refresh_state()
                self.decided(then, target)
        self.push_screen(AdminScreen(names[0], self.flow.origin.profile_name), chosen)

    def action_back(self) -> None:
        if self.flow.step not in (START, DONE):
            self.go(self.flow.back())

    def action_review(self) -> None:
        if self.flow.step not in (REVIEW, DONE):
            self.decided(lambda: self.go(self.flow.go(REVIEW)), REVIEW)

    def action_topics(self) -> None:
        self.screen.query_one("#sidebar").remove_class("-folded")
        self.screen.query_one("#steps").focus()

    def action_help(self) -> None:
        from wizard.tui.help_screen import REVIEW_HELP, HelpScreen
        self.push_screen(HelpScreen(self.flow.topics.get(self.flow.step),
                                    REVIEW_HELP if self.flow.step == REVIEW else None, self.flow.answers or None))

    async def action_quit(self) -> None:
        if isinstance(self.screen, ConfirmScreen):
            return
        if not self.flow.dirty:
            self.exit(0)
            return
        self.push_screen(quitting(), lambda yes: self.exit(0) if yes else None)


def make_app(origins: list[Origin], preselect: str | None = None) -> WizardApp:
    """The one way to build the wizard, for the command line and the tests alike."""
    return WizardApp(Flow(origins), preselect)
