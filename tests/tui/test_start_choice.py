"""Where a configuration exists, both front ends start on editing it; elsewhere on a new one."""

from __future__ import annotations

import shutil
from pathlib import Path

import io

import pytest
from textual.widgets import OptionList

from tests.tui.conftest import build_app, files_of
from tests.tui.drive import on_screen, press
from wizard import cli
from wizard.commands.interactive import starts
from wizard.flow import Flow
from wizard.tui import prompts
from wizard.tui.lines import Lines

DEBIAN = Path("/etc/orthanc")


@pytest.fixture
def debian_copy(in_tmp):
    if not (DEBIAN / "orthanc.json").is_file():
        pytest.fail("Debian's orthanc package is not installed: apt-get install orthanc")
    return Path(shutil.copytree(DEBIAN, in_tmp / "etc-orthanc"))


async def highlighted(app) -> list[str]:
    """The start screen's choices, the highlighted one first, then every choice in order."""
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot)
        origins = app.screen.query_one("#origins", OptionList)
        return [origins.highlighted_option.id, *(o.id for o in origins.options)]


async def test_the_start_screen_preselects_editing_a_debian_configuration_first(debian_copy):
    before = files_of(debian_copy)
    chosen, *choices = await highlighted(build_app(out=None, debian=debian_copy))
    assert chosen == "edit" and choices[:2] == ["edit", "new"]  # a new configuration stays offered
    assert files_of(debian_copy) == before


async def test_the_start_screen_preselects_a_new_configuration_where_none_exists(in_tmp):
    chosen, *choices = await highlighted(build_app(out=None, debian=in_tmp / "no-such-folder"))
    assert chosen == "new" and choices[0] == "new" and "edit" not in choices


async def test_a_preset_named_on_the_command_line_is_preselected_even_beside_debians(debian_copy):
    chosen, *choices = await highlighted(build_app(preset="intranet", out=None, debian=debian_copy))
    assert chosen == "preset:intranet" and choices[0] == "edit"


def plain_start(origins, chosen, monkeypatch) -> str:
    """The origin the plain mode begins with when the admin presses Enter, then quits."""
    begun = []
    real_begin = Flow.begin
    monkeypatch.setattr(Flow, "begin", lambda flow, origin: (begun.append(origin.key), real_begin(flow, origin)))
    # Enter, then the end of the input at the first question: nothing written, exit 2.
    assert prompts.run(origins, chosen, Lines(io.StringIO("\n"), io.StringIO())) == 2
    return begun[0]


def test_the_plain_mode_starts_on_editing_a_debian_configuration_and_writes_nothing(debian_copy, monkeypatch, capsys):
    before = files_of(debian_copy)
    assert plain_start(*starts(None, None, None, debian=debian_copy), monkeypatch) == "edit"
    assert "nothing was written" in capsys.readouterr().err
    assert files_of(debian_copy) == before


def test_the_plain_mode_starts_on_a_new_configuration_where_none_exists(in_tmp, monkeypatch):
    assert plain_start(*starts(None, None, None, debian=in_tmp / "no-such-folder"), monkeypatch) == "new"
    assert list(in_tmp.iterdir()) == []


async def test_the_start_screen_says_first_which_folder_the_highlighted_choice_writes(debian_copy, in_tmp):
    app = build_app(out=None, debian=debian_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot)
        first = next(w for w in app.screen.query_one("#main").children if w.display)
        assert first.id == "destination"  # above the introduction and the choices
        assert on_screen(pilot, "#destination") == (f"Will write: {debian_copy}, the configuration Orthanc reads, "
                                                    "in place (a backup beside each file changed)")
        await press(pilot, "down")  # New configuration
        assert on_screen(pilot, "#destination") == (f"Will write: {in_tmp / 'orthanc-hardened'}, a folder of its own "
                                                    "(nothing else on this host changes)")


def test_the_plain_mode_says_which_folder_it_writes_before_the_first_question(debian_copy):
    printed = io.StringIO()
    assert prompts.run(*starts(None, None, None, debian=debian_copy), Lines(io.StringIO("\n"), printed)) == 2
    after = printed.getvalue().split("Choose 1-", 1)[1]
    assert after.splitlines()[1] == f"Will write: {debian_copy}, the configuration Orthanc reads, in place " \
                                    "(a backup beside each file changed)"


async def test_the_start_screen_plain_and_apply_say_the_same_words_for_what_the_configuration_hardens(
        debian_copy, capsys):
    printed = io.StringIO()
    assert prompts.run(*starts(None, None, None, debian=debian_copy), Lines(io.StringIO("\n"), printed)) == 2
    plain = [line.removeprefix("  note: ") for line in printed.getvalue().splitlines() if line.startswith("  note: ")]
    assert cli.main(["apply", "--config", str(debian_copy), "--preset", "localhost", "--check"]) == 1
    applied = [line for line in capsys.readouterr().out.splitlines() if line.startswith("would harden ")]
    assert len(plain) == 6 and plain == applied  # WebDAV, errors, four DICOM checks
    app = build_app(out=None, debian=debian_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot)
        shown = app.screen.query_one("#origins", OptionList).get_option("edit").prompt.plain
        assert all(f"! {note}" in shown for note in plain[:2])
        assert f"Edit {debian_copy}\n" in shown and "(4 more notes in the review)" in shown
