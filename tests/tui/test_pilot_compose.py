"""The wizard on a compose deployment (--config docker-compose.yml): the edit is offered first, the
review names the compose file and shows no password, and writing does what `apply --config` does."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.tui.conftest import build_app
from tests.tui.drive import press
from wizard import cli
from wizard.tui.admin_screen import AdminScreen

SAMPLE = Path(__file__).parents[1] / "data" / "compose" / "corpus" / "basic"


def configuration(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and ".bak" not in p.name}


async def test_the_wizard_edits_a_compose_deployment_as_apply_does(in_tmp):
    shutil.copytree(SAMPLE, in_tmp / "site")
    shutil.copytree(SAMPLE, in_tmp / "other")
    app = build_app(config=str(in_tmp / "site" / "docker-compose.yml"), out=None)
    async with app.run_test(size=(110, 32)) as pilot:
        await press(pilot, "enter")  # the edit is chosen by --config
        assert app.flow.origin.key == "edit"
        await press(pilot, "ctrl+r")
        while isinstance(app.screen, AdminScreen):  # each admin from any address: kept, as apply keeps it
            await press(pilot, "k")
        assert app.flow.step == "review"
        shown = app.flow.prepared.diff()
        assert "docker-compose.yml" in shown and '"demo": "demo"' not in shown
        await press(pilot, "w", "y")
        assert app.flow.step == "done"
        await press(pilot, "q")
    assert app.return_value == 0
    edited = configuration(in_tmp / "site")
    assert b"127.0.0.1:8042:8042" not in edited["docker-compose.yml"]  # remote access is the site's: kept
    assert b'"demo": "demo"' not in edited["docker-compose.yml"]  # the well-known password left the file
    saved = in_tmp / "site" / "orthanc-harden.jsonc"
    shutil.copy2(in_tmp / "site" / "orthanc-registered-users.secret", in_tmp / "other")
    assert cli.main(["apply", "--preset", str(saved), "--config", str(in_tmp / "other" / "docker-compose.yml")]) == 0
    other = configuration(in_tmp / "other")
    assert other["docker-compose.yml"] == edited["docker-compose.yml"]
