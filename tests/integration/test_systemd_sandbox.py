"""The checklist's systemd drop-in: systemd accepts it, rates the unit safer, and Orthanc runs in it.

systemd is not process 1 here, so the confinement is reproduced by hand for the run: a mount
namespace whose root is read-only but for the drop-in's ReadWritePaths, private /tmp and
/var/tmp, empty /home and /root, then the orthanc user with no capability and no way to
gain one (setpriv). The other directives (kernel, clock, namespaces...) are left to systemd.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .http import request
from .orthanc_server import OrthancProcess, OrthancStartError, kill, wait_until_ready, free_port
from .profiles import apply_profile, registered_users, require_tool

DEBIAN_UNIT = Path("/lib/systemd/system/orthanc.service")
DROP_IN = "etc/systemd/system/orthanc.service.d/orthanc-harden.conf"
_HEREDOC = re.compile(r"cat > \S+orthanc-harden\.conf <<'EOF'\n(.*?)\nEOF\n", re.S)
_EXPOSURE = re.compile(r"Overall exposure level for orthanc\.service: ([\d.]+)")
# ProtectSystem=strict, ReadWritePaths, PrivateTmp and ProtectHome as a mount namespace does them.
CONFINED = """set -e
mount --make-rprivate /
mount -o remount,bind,ro /
for path in $WRITABLE; do mount --bind "$path" "$path"; mount -o remount,bind,rw "$path"; done
for path in /tmp /var/tmp; do mount -t tmpfs -o mode=1777 tmpfs "$path"; done
for path in /home /root; do mount -t tmpfs -o ro,mode=0755 tmpfs "$path"; done
exec setpriv --reuid=orthanc --regid=orthanc --init-groups --no-new-privs --bounding-set=-all --inh-caps=-all "$@"
"""


def drop_in_of(checklist: str) -> str:
    found = _HEREDOC.search(checklist)
    assert found, "the checklist has no drop-in"
    return found.group(1) + "\n"


def unit_root(folder: Path, drop_in: str | None) -> Path:
    """A root for systemd-analyze with Debian's unit and, when given, the drop-in."""
    if not DEBIAN_UNIT.is_file():
        pytest.fail(f"{DEBIAN_UNIT} is missing: Debian's orthanc package must be installed")
    (folder / "lib/systemd/system").mkdir(parents=True)
    shutil.copy(DEBIAN_UNIT, folder / "lib/systemd/system")
    if drop_in is not None:
        (folder / DROP_IN).parent.mkdir(parents=True)
        (folder / DROP_IN).write_text(drop_in)
    return folder


def exposure(root: Path) -> float:
    done = subprocess.run([require_tool("systemd-analyze"), "security", "--offline=true", f"--root={root}", "orthanc.service"],
                          capture_output=True, text=True, timeout=60)
    found = _EXPOSURE.search(done.stdout + done.stderr)
    assert found, done.stdout + done.stderr
    return float(found.group(1))


def complaints_about_the_drop_in(root: Path) -> list[str]:
    done = subprocess.run([require_tool("systemd-analyze"), "verify", f"--root={root}", "orthanc.service"],
                          capture_output=True, text=True, timeout=60)
    return [line for line in (done.stdout + done.stderr).splitlines() if "orthanc-harden.conf" in line]


@pytest.fixture(scope="module")
def sandboxed(tmp_path_factory) -> Iterator[dict]:
    """A configuration whose storage lives outside /tmp (which the sandbox makes private)."""
    Path("/srv").mkdir(exist_ok=True)  # Debian's base-files makes it; not under /tmp, made private
    base = Path(tempfile.mkdtemp(prefix="orthanc-harden-sandbox-", dir="/srv"))
    try:
        base.chmod(0o755)
        profile = {"network": {"http_port": free_port()}, "dicom": {"port": free_port()},
                   "service": {"storage_dir": str(base / "storage")},
                   "authentication": {"users": [{"name": "admin", "role": "admin"}]}}
        out = apply_profile(profile, base / "setup")
        (base / "storage").mkdir()
        shutil.chown(base / "storage", "orthanc", "orthanc")
        for path in [out, *out.iterdir()]:
            shutil.chown(path, "root", "orthanc")  # the checklist's "readable by root and orthanc only"
        checklist = (out / "CHECKLIST.md").read_text()
        yield {"base": base, "config": out, "profile": profile, "checklist": checklist,
               "password": registered_users(out)["admin"]}
    finally:
        shutil.rmtree(base, ignore_errors=True)


def confined_orthanc(run: dict, writable: list[str], name: str) -> OrthancProcess:
    """Start Orthanc as the drop-in would confine it, logging to a folder of its own (writable
    in place of /var/log/orthanc); the caller kills it."""
    log, logs = run["base"] / f"{name}.out", run["base"] / f"{name}-logs"
    logs.mkdir()
    shutil.chown(logs, "orthanc", "orthanc")
    writable = [path for path in writable if path != "/var/log/orthanc"] + [str(logs)]
    command = [require_tool("unshare"), "--mount", "--propagation", "private", "sh", "-c", CONFINED, "confined",
               require_tool("Orthanc"), f"--logdir={logs}", str(run["config"])]
    with open(log, "wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "WRITABLE": " ".join(writable)})
    return OrthancProcess(process, run["profile"]["network"]["http_port"], run["profile"]["dicom"]["port"], log)


def writable_paths(drop_in: str) -> list[str]:
    return next(line for line in drop_in.splitlines() if line.startswith("ReadWritePaths=")).split("=", 1)[1].split()


def test_systemd_reads_the_drop_in_without_complaint(tmp_path, sandboxed):
    assert complaints_about_the_drop_in(unit_root(tmp_path / "ok", drop_in_of(sandboxed["checklist"]))) == []
    # The check itself sees a broken directive:
    broken = drop_in_of(sandboxed["checklist"]).replace("PrivateTmp=yes", "PrivateTmp=maybe")
    assert complaints_about_the_drop_in(unit_root(tmp_path / "broken", broken))


def test_systemd_reads_a_storage_path_with_spaces_and_percent_signs(tmp_path):
    from wizard import profile
    from wizard.topics.service_user import systemd_drop_in

    drop_in = systemd_drop_in(profile.effective({"service": {"storage_dir": "/srv/Medical Images/100% db"}}))
    assert 'ReadWritePaths="/srv/Medical Images/100%% db" /var/log/orthanc' in drop_in
    assert complaints_about_the_drop_in(unit_root(tmp_path / "spaces", drop_in)) == []


def test_the_drop_in_takes_the_unit_from_unsafe_to_ok(tmp_path, sandboxed):
    debian = exposure(unit_root(tmp_path / "debian", None))
    hardened = exposure(unit_root(tmp_path / "hardened", drop_in_of(sandboxed["checklist"])))
    print(f"systemd-analyze security exposure: Debian's unit {debian}, with the drop-in {hardened}")
    assert debian > 9.0 and hardened <= 4.0  # systemd's words: above 9 UNSAFE, below 4.1 OK


def test_orthanc_stores_and_serves_inside_the_confinement(sandboxed, dicom_file):
    run = sandboxed
    writable = writable_paths(drop_in_of(run["checklist"]))
    assert writable == [str(run["base"] / "storage"), "/var/log/orthanc"]
    orthanc = confined_orthanc(run, writable, "confined")
    try:
        wait_until_ready(orthanc, http=True)
        admin = {"user": "admin", "password": run["password"]}
        assert request(orthanc.url, path="/system")[0] == 401
        assert request(orthanc.url, "POST", "/instances", body=dicom_file.read_bytes(), **admin)[0] == 200
        assert request(orthanc.url, path="/statistics", **admin)[1].count(b'"CountInstances" : 1') == 1
        assert logged(run, "confined")  # it could log
        assert any(p.is_file() for p in (run["base"] / "storage").rglob("*"))  # it stored, as the orthanc user
    finally:
        kill(orthanc.process)


def test_without_its_storage_in_read_write_paths_orthanc_cannot_start(sandboxed):
    # The control: the read-only root of the reproduction holds for real.
    orthanc = confined_orthanc(sandboxed, ["/var/log/orthanc"], "no-storage")
    try:
        with pytest.raises(OrthancStartError, match="exited"):
            wait_until_ready(orthanc, http=True)
    finally:
        kill(orthanc.process)
    # "Unable to open the database", or when an earlier run made it, "Cannot prepare a statement".
    assert "Uncaught exception, stopping now: [SQLite: " in logged(sandboxed, "no-storage")


def logged(run: dict, name: str) -> str:
    return "".join(path.read_text(errors="replace") for path in sorted((run["base"] / f"{name}-logs").iterdir())
                   if path.is_file())
