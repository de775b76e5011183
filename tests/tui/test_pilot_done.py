"""The done screen at 80 columns: each file by its name under the folder, said once, so that no
path is folded mid-name; the backups of an edit in place likewise (issue 18, smaller items)."""

from __future__ import annotations

from tests.tui.conftest import build_app
from tests.tui.drive import on_screen, press

CONFIG = ('{"RemoteAccessAllowed": false, "AuthenticationEnabled": true, '
          '"RegisteredUsers": {"alice": "correct-horse-battery-staple"}}')


async def test_an_edit_in_place_names_its_files_and_backups_under_the_folder_whole_at_80_columns(in_tmp):
    folder = in_tmp / "a-configuration-folder-with-a-long-name"
    folder.mkdir()
    (folder / "orthanc.json").write_text(CONFIG)
    app = build_app(config=str(folder), out=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "ctrl+r", "w", "y")
        assert app.flow.step == "done"
        report = on_screen(pilot, "#report").splitlines()
        backups = [line.strip() for line in report[report.index("Backups, beside the files they keep:") + 1:]
                   if line.startswith("  ")][:1]
        assert report[0] == f"Written in {folder}:" and any(line.startswith("  orthanc.json  (mode ") for line in report), report
        assert backups and backups[0].startswith("orthanc.json.") and backups[0].endswith(".bak")
        assert (folder / backups[0]).is_file()
        width = app.screen.query_one("#report").size.width
        assert all(len(line) <= width for line in report if line.startswith("  orthanc"))
