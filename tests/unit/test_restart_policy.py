"""Orthanc comes back after a crash (issue 17, item 6): the systemd drop-in's start limit cannot be
exhausted by crashes in a row, and a compose deployment the tool writes or edits restarts its
service and keeps /tmp on a tmpfs; systemd-analyze and docker-compose accept what is written."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.unit.test_compose_writing import compose_config, deploy, write
from wizard import profile
from wizard.sources.compose import reading, writing
from wizard.topics.service_user import systemd_drop_in

DEBIAN_UNIT = Path("/lib/systemd/system/orthanc.service")
# systemd's defaults (systemd.unit(5), systemd.service(5)): a restart 100 ms after a failure, and no
# start allowed past 5 starts within 10 s.
SYSTEMD_DEFAULTS = {"RestartSec": 0.1, "StartLimitIntervalSec": 10.0, "StartLimitBurst": 5}
STARTUP = 0.5  # seconds from a start to a crash, a fast reader: less than Orthanc takes to listen


def settings(unit_texts: list[str]) -> dict[str, float]:
    """The restart settings after the unit and its drop-ins, later files winning, as systemd reads them."""
    found = dict(SYSTEMD_DEFAULTS)
    for text in unit_texts:
        for name, value in re.findall(r"^(RestartSec|StartLimitIntervalSec|StartLimitBurst)=(\S+)$", text, re.M):
            found[name] = float(value.removesuffix("s"))
    return found


def crashes_until_given_up(unit: dict[str, float], crashes: int) -> int | None:
    """systemd's start limit replayed: each start is counted; a start that would be the burst+1-th
    within the interval is refused and the unit stays failed. The crash that leaves it down, or None."""
    starts, now = [0.0], 0.0
    for crash in range(1, crashes + 1):
        now += STARTUP + unit["RestartSec"]
        if unit["StartLimitIntervalSec"] > 0:
            recent = [t for t in starts if now - t < unit["StartLimitIntervalSec"]]
            if len(recent) >= unit["StartLimitBurst"]:
                return crash
        starts.append(now)
    return None


def test_debian_s_unit_alone_gives_up_after_the_fifth_crash_in_a_row():
    # The check below can fail: Debian's orthanc.service, with systemd's defaults, stays down.
    assert crashes_until_given_up(settings([DEBIAN_UNIT.read_text()]), 10) == 5


def test_ten_crashes_in_a_row_leave_orthanc_restarting_with_the_drop_in():
    drop_in = systemd_drop_in(profile.effective({}))
    unit = settings([DEBIAN_UNIT.read_text(), drop_in])
    assert crashes_until_given_up(unit, 1000) is None
    assert "Restart=on-failure" in drop_in.splitlines() and unit["RestartSec"] == 2
    # systemd reads the start limit in [Unit] only: it must sit before [Service].
    assert drop_in.index("StartLimitIntervalSec=0") < drop_in.index("[Service]") and "[Unit]" in drop_in


def test_systemd_analyze_verify_accepts_the_drop_in(tmp_path):
    systemd_analyze = shutil.which("systemd-analyze")
    assert systemd_analyze, "systemd-analyze (systemd) is installed by scripts/test.sh"
    (tmp_path / "lib/systemd/system").mkdir(parents=True)
    shutil.copy(DEBIAN_UNIT, tmp_path / "lib/systemd/system")
    folder = tmp_path / "etc/systemd/system/orthanc.service.d"
    folder.mkdir(parents=True)
    (folder / "orthanc-harden.conf").write_text(systemd_drop_in(profile.effective({})))
    done = subprocess.run([systemd_analyze, "verify", f"--root={tmp_path}", "orthanc.service"],
                          capture_output=True, text=True, timeout=60)
    assert [line for line in (done.stdout + done.stderr).splitlines() if "orthanc-harden.conf" in line] == []
    (folder / "orthanc-harden.conf").write_text(systemd_drop_in(profile.effective({})).replace(
        "StartLimitIntervalSec=0", "StartLimitIntervalSec=never"))
    done = subprocess.run([systemd_analyze, "verify", f"--root={tmp_path}", "orthanc.service"],
                          capture_output=True, text=True, timeout=60)
    assert "orthanc-harden.conf" in done.stdout + done.stderr  # the check sees a bad value


BARE = """\
services:
  orthanc:
    image: orthancteam/orthanc:25.8.0
    environment:
      ORTHANC__NAME: "Site A"
"""


def come_back(folder: Path, compose: str) -> writing.Written:
    written = writing.Edit(deploy(folder, compose)).come_back().written()
    write(written)
    return written


def test_an_edited_service_without_a_restart_policy_restarts_unless_stopped_with_tmp_on_tmpfs(tmp_path):
    written = come_back(tmp_path, BARE)
    service = compose_config(tmp_path)["services"]["orthanc"]
    assert service["restart"] == "unless-stopped" and service["tmpfs"] == ["/tmp"]
    assert written.notes == ["services.orthanc.restart: not set -> unless-stopped (docker-compose.yml:6)",
                             "services.orthanc.tmpfs: not set -> /tmp (docker-compose.yml:8)"]
    assert writing.Edit(reading.load(tmp_path)).come_back().written().files == []  # a second run: nothing


@pytest.mark.parametrize("policy", ["    restart: on-failure\n", "    restart: \"no\"\n",
                                    "    deploy:\n      restart_policy:\n        condition: any\n"])
def test_the_admin_s_restart_policy_is_kept_whatever_it_says(policy, tmp_path):
    come_back(tmp_path, BARE + policy)
    assert (tmp_path / "docker-compose.yml").read_text() == BARE + policy + "    tmpfs:\n      - /tmp\n"
    compose_config(tmp_path)


def test_a_restart_policy_from_a_merge_or_an_extended_service_is_kept(tmp_path):
    merged = ("x-common: &common\n  restart: always\n" + BARE.replace("    image:", "    <<: *common\n    image:")
              + "    tmpfs: [/run]\n")
    come_back(tmp_path, merged)
    service = compose_config(tmp_path)["services"]["orthanc"]
    assert service["restart"] == "always" and service["tmpfs"] == ["/run", "/tmp"]


@pytest.mark.parametrize("mounted", ["    tmpfs: /tmp:size=64m\n", "    tmpfs:\n      - /tmp/\n",
                                     "    volumes:\n      - ./scratch:/tmp\n"])
def test_something_the_admin_mounted_at_tmp_stays(mounted, tmp_path):
    come_back(tmp_path, BARE + "    restart: always\n" + mounted)
    assert (tmp_path / "docker-compose.yml").read_text() == BARE + "    restart: always\n" + mounted


def test_a_tmpfs_written_as_one_path_becomes_a_list_with_tmp(tmp_path):
    come_back(tmp_path, BARE + "    restart: always\n    tmpfs: /run\n")
    assert compose_config(tmp_path)["services"]["orthanc"]["tmpfs"] == ["/run", "/tmp"]


def test_a_new_deployment_restarts_unless_stopped_with_tmp_on_tmpfs(run_cli, tmp_path):
    run_cli("apply", "--preset", "intranet", "--set", "https.server_name=pacs.test", "--deployment", "compose",
            "--out", tmp_path)
    services = compose_config(tmp_path)["services"]
    assert services["orthanc"]["restart"] == "unless-stopped" and services["orthanc"]["tmpfs"] == ["/tmp"]
    assert services["nginx"]["restart"] == "unless-stopped"
