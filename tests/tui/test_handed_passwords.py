"""The wizard hands the passwords it generates over in a 0600 file beside what it wrote, as apply does
with --secrets-file, and says where; `verify` reads that file by default (tests/unit/test_verify.py,
tests/integration/test_verify_passwords.py)."""

from __future__ import annotations

import stat

from tests.tui.plain_driver import run_script
from tests.tui.test_plain import INTRANET
from wizard import secrets
from wizard.orthanc import config_files


def test_the_plain_mode_hands_its_generated_passwords_over_in_a_private_file_beside_what_it_wrote(in_tmp):
    code, out = run_script([*INTRANET, ("Write these files?", "write")])
    assert code == 0, out
    handed = in_tmp / "out" / secrets.HANDED_FILE
    assert stat.S_IMODE(handed.stat().st_mode) == 0o600
    registered = config_files.read(in_tmp / "out").values["RegisteredUsers"]
    assert secrets.read_handed(handed) == {name: registered[name] for name in ("admin", "viewer")}
    assert f"They are also in {handed.relative_to(in_tmp)} (mode 0600" in out
    assert "orthanc-harden verify out" in out


def test_a_later_run_keeps_the_passwords_handed_over_before(tmp_path):
    path = tmp_path / secrets.HANDED_FILE
    secrets.hand_over_file(path, {"user admin": "first-one", "peer far": "peer-secret"})
    assert secrets.hand_over_beside(tmp_path, {}) is None  # nothing generated: nothing handed over
    assert secrets.hand_over_beside(tmp_path, {"user viewer": "second-one"}) == path
    assert secrets.read_handed(path) == {"admin": "first-one", "viewer": "second-one"}
    assert secrets.read_handed(path, every=True)["peer far"] == "peer-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
