"""A non-editable install finds the schemas, the presets and the stylesheet."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
import wizard
assert wizard.__file__.startswith(sys.argv[1]), wizard.__file__
from wizard import cli
sys.exit(cli.main(sys.argv[2:]))
"""


def test_a_built_wheel_carries_schemas_and_presets_and_applies(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    shutil.copytree(ROOT / "wizard", source / "wizard", ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    # No build isolation: the test command installs setuptools and wheel, and tests stay offline.
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", tmp_path / "dist", source],
                   check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("orthanc_harden-*.whl"))
    site = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", site, wheel], check=True, capture_output=True)
    assert (site / "wizard" / "data" / "schemas" / "profile.schema.json").is_file()
    assert (site / "wizard" / "tui" / "wizard.tcss").is_file()
    listed = subprocess.run([sys.executable, "-c", PROBE, site, "presets"], capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert "intranet" in listed.stdout
    applied = subprocess.run([sys.executable, "-c", PROBE, site, "apply", "--preset", "intranet", "--set", "https.server_name=pacs.test",
                              "--out", tmp_path / "out"], capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert (tmp_path / "out" / "orthanc.json").is_file()
