"""The proxy's secret (orthanc/proxy_secret.py): made once, kept by every later run like a generated
password, written where only root and Orthanc's group read it, and never shown."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from tests.unit.conftest import snapshot
from wizard.orthanc import config_files, proxy_secret

PROXIED = ("--preset", "intranet", "--set", "https.server_name=pacs.test")
DEBIAN_CONFIG = Path("/etc/orthanc")


def secret_of(folder: Path) -> str:
    """The secret as Orthanc reads it: in a folder, beside the users (Debian's credentials.json)."""
    return config_files.read(folder).values[proxy_secret.OPTION]


def test_a_configuration_s_usable_secret_is_kept_and_anything_else_replaced():
    kept = "A" * 16 + "b7" * 4
    assert proxy_secret.resolve({proxy_secret.OPTION: kept}) == (kept, False)
    for unusable in (None, "", "short1234", "with space and more than sixteen", "x" * 73, 42, "${SECRET_FROM_ENV}"):
        made, new = proxy_secret.resolve({proxy_secret.OPTION: unusable})
        assert new and made != unusable and len(made) == 24 and made.isalnum()


def test_a_new_run_writes_the_secret_in_the_configuration_and_the_nginx_file_for_root_only(run_cli, tmp_path):
    assert run_cli("apply", *PROXIED, "--out", tmp_path)[0] == 0
    secret = secret_of(tmp_path)
    nginx = tmp_path / "nginx-orthanc.conf"
    assert f"proxy_set_header {proxy_secret.HEADER} {secret};" in nginx.read_text()
    assert stat.S_IMODE(nginx.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "orthanc.json").stat().st_mode) & 0o007 == 0
    assert "install -o root -g root -m 0600" in (tmp_path / "CHECKLIST.md").read_text()


def test_a_second_run_keeps_the_secret_and_changes_no_byte(run_cli, tmp_path):
    run_cli("apply", *PROXIED, "--out", tmp_path)
    before = snapshot(tmp_path)
    code, out, _ = run_cli("apply", *PROXIED, "--out", tmp_path)
    assert code == 0 and "nothing to change" in out and snapshot(tmp_path) == before


def test_without_the_proxy_no_secret_is_written(run_cli, tmp_path):
    run_cli("apply", "--preset", "localhost", "--out", tmp_path)
    assert proxy_secret.OPTION not in json.loads((tmp_path / "orthanc.json").read_text())


@pytest.mark.skipif(not DEBIAN_CONFIG.is_dir(), reason="Debian's orthanc package is installed by scripts/test.sh")
def test_an_edit_adds_the_secret_without_showing_it_in_its_notes_or_diff(run_cli, tmp_path):
    folder = tmp_path / "orthanc"
    shutil.copytree(DEBIAN_CONFIG, folder)
    code, out, err = run_cli("apply", *PROXIED, "--config", folder, "--check", "--diff")
    assert code == 1
    assert f'$.{proxy_secret.OPTION} = "********"' in out
    run_cli("apply", *PROXIED, "--config", folder)
    secret = secret_of(folder)
    assert secret not in out + err
    code, out, err = run_cli("apply", *PROXIED, "--config", folder, "--set", "https.port=8443", "--diff")
    assert code == 0 and secret_of(folder) == secret and secret not in out + err  # kept, never shown
    assert "nginx-orthanc.conf: a secret file (mode 0600): not shown" in out
