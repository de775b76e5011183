"""Service and release: which Orthanc runs the configuration, as which system user."""

from __future__ import annotations

from wizard.orthanc import releases
from wizard.orthanc.advisories import ADVISORIES
from wizard.topics import install_steps, release_rules
from wizard.topics.base import Answers, Build, Finding, Question, Step, read_pairs, sh
from wizard.topics.base import NO_FACTS, Facts, Rule
from wizard.versions import show
from wizard.versions import parse

NAME = "service"
TITLE = "Service user and release"

QUESTIONS = (
    Question("orthanc_version", "text", "Orthanc release",
             "The release this configuration is for (`Orthanc --version`). Options newer than it are "
             "left out, because an older Orthanc ignores unknown options silently and you would "
             "believe they protect you. Debian 12 ships 1.10.1."),
    Question("service.user", "text", "Service user",
             "Run Orthanc as a dedicated non-privileged user that can write only to the storage "
             "area, never as root: a flaw in Orthanc or a plugin then cannot take the whole host."),
    Question("service.group", "text", "Service group",
             "The group that may read the configuration files. They hold the passwords of "
             "RegisteredUsers in plain text: only root and this group may read them."),
    Question("service.config_dir", "text", "Configuration folder",
             "Where these files will be installed (Debian: /etc/orthanc). Used in the checklist's commands."),
    Question("service.storage_dir", "text", "Storage folder",
             "Where Orthanc keeps the images and its index (Debian: /var/lib/orthanc/db-v6). Only "
             "the service user may read it: it holds every patient's data. Changing it on a running "
             "server hides the studies stored so far."),
)

# Releases that fixed security flaws an exposed server must not have (advisories.py, from NEWS).
ADVICE = tuple((advisory.release, advisory.summary) for advisory in ADVISORIES)


def apply(answers: Answers, build: Build) -> None:
    """The storage and plugin folders; the service user itself is a host setting (see the checklist)."""
    # An existing configuration without StorageDirectory uses Orthanc's default, relative to
    # its working directory: adding one would hide every study stored so far. IndexDirectory
    # defaults to StorageDirectory, so it is never written.
    if not build.existing or "StorageDirectory" in build.existing:
        build.set("StorageDirectory", answers["service"]["storage_dir"])
    # Debian's plugins (and those of its orthanc-* packages) load from the folder its own
    # orthanc.json lists. Plugins is a deployment value: an edit keeps it, or its absence.
    if build.run == "new" and answers["service"]["plugins"]:
        build.set("Plugins", answers["service"]["plugins"])


DEBIAN_CONFIG = "/etc/orthanc"  # where Debian's orthanc package installs its conffiles
LOG_DIR = "/var/log/orthanc"  # Debian's unit runs Orthanc with --logdir=/var/log/orthanc
DROP_IN = "/etc/systemd/system/orthanc.service.d/orthanc-harden.conf"
# Debian's orthanc.service has no sandboxing. Only directives a plain Orthanc cannot notice:
# no system-call filter, no MemoryDenyWriteExecute (the Java plugin compiles at run time).
CONFINE = ("NoNewPrivileges=yes", "CapabilityBoundingSet=", "AmbientCapabilities=", "PrivateDevices=yes",
           "PrivateMounts=yes", "ProtectKernelTunables=yes", "ProtectKernelModules=yes", "ProtectKernelLogs=yes",
           "ProtectControlGroups=yes", "ProtectClock=yes", "ProtectHostname=yes", "ProtectProc=invisible",
           "RestrictNamespaces=yes", "RestrictRealtime=yes", "RestrictSUIDSGID=yes", "LockPersonality=yes",
           "RemoveIPC=yes", "SystemCallArchitectures=native", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
           "UMask=0027")


def _unit_word(path: str) -> str:
    """A path as one word of a unit file: % starts a specifier, a space separates words."""
    path = path.replace("%", "%%")
    return '"' + path.replace("\\", "\\\\") + '"' if any(c in path for c in ' \t\\') else path


# Debian's unit says Restart=on-failure, but systemd's defaults (a restart 100 ms after a crash, and
# no more restarts after 5 starts in 10 s) let a reader who crashes Orthanc five times in a row
# (issue 17: a JSON body nested ~200 deep) stop it for good. Never giving up costs one failed start
# every RESTART_SEC when the configuration itself is broken; giving up is what the attacker wants.
RESTART_SEC = 2
RECOVER_UNIT = ("# Never stop restarting after crashes (systemd's default gives up after 5 starts in 10 s).",
                "StartLimitIntervalSec=0")
RECOVER_SERVICE = ("# Restart=on-failure (Debian's) comes back from a crash, 2 s later, however often.",
                   "Restart=on-failure", f"RestartSec={RESTART_SEC}s")


def systemd_drop_in(answers: Answers, log_dir: str = LOG_DIR) -> str:
    """A drop-in for orthanc.service: the service user, the whole system read-only except the
    storage and the logs, private /tmp, no /home, no privilege to gain; restarted after every
    crash, without the start limit that repeated crashes would exhaust."""
    service = answers["service"]
    writable = (service["storage_dir"], log_dir)
    lines = ["# Written by orthanc-harden: confines Debian's orthanc.service.", "[Unit]", *RECOVER_UNIT,
             "[Service]", *RECOVER_SERVICE, f"User={service['user']}", f"Group={service['group']}", *CONFINE,
             "ProtectSystem=strict", "ReadWritePaths=" + " ".join(_unit_word(path) for path in writable)]
    # Made private or hidden, a folder Orthanc must write would be lost to it: then leave it.
    # PrivateTmp also ends what a crash leaves in /tmp (temporary archives, patient data): systemd
    # removes the service's private /tmp when it stops, a crash included, and a restart gets a new one.
    for directive, hidden in (("PrivateTmp=yes", ("/tmp", "/var/tmp")), ("ProtectHome=yes", ("/home", "/root", "/run/user"))):
        inside = [path for path in writable if any(path == h or path.startswith(h + "/") for h in hidden)]
        lines.append(f"# {directive.split('=')[0]} is left off: {inside[0]} is under it" if inside else directive)
    return "\n".join(lines) + "\n"


def checklist(answers: Answers) -> list[Step]:
    service = answers["service"]
    user, group, conf, store = service["user"], service["group"], service["config_dir"], service["storage_dir"]
    steps = [
        Step(f"Run Orthanc as the unprivileged user {user}",
             "A service running as root turns any flaw of Orthanc or of a plugin into a full "
             "compromise of the host. Debian's package already creates this user.",
             (f"getent passwd {user} || useradd --system --no-create-home --shell /usr/sbin/nologin {user}",
              f"install -d -o {user} -g {group} -m 0750 {sh(store)}",
              "systemctl show orthanc -p User -p Group")),
        *install_steps.steps(answers),  # the checklist keeps the one of its run
    ]
    steps.append(Step("Confine the service with systemd",
                      "Debian's orthanc.service has no sandboxing (systemd-analyze security rates it "
                      "UNSAFE): a flaw in Orthanc, a plugin or a Lua script could write wherever the "
                      "service user can and reach the host's devices. This drop-in leaves it the storage "
                      "and the logs to write, a private /tmp, and no privilege to gain; it restarts Orthanc 2 s "
                      "after every crash, however many (systemd's default stops after 5 starts in 10 s: "
                      "a user who can crash it could keep it down). A plugin or "
                      "script that writes elsewhere, or an IndexDirectory apart from the storage, "
                      "needs its folder added to ReadWritePaths.",
                      (f"install -d -m 0755 {DROP_IN.rsplit('/', 1)[0]}",
                       f"cat > {DROP_IN} <<'EOF'\n{systemd_drop_in(answers)}EOF",
                       "systemctl daemon-reload  # read at the restart step below: Orthanc keeps running meanwhile",
                       "systemd-analyze security orthanc.service | tail -1  # OK, no longer UNSAFE")))
    if conf == DEBIAN_CONFIG:
        steps.append(Step("Keep the hardened files when the orthanc package is upgraded",
                          f"The *.json files of {conf} are conffiles of Debian's orthanc package: when an "
                          "upgrade ships new defaults, dpkg asks whether to install the maintainer's "
                          "version, and yes (or --force-confnew) puts the unhardened files back, keeping "
                          "yours as *.dpkg-old. Keep yours; the new defaults land in *.dpkg-dist, which "
                          "Orthanc does not read.",
                          ("dpkg-query --show --showformat='${Conffiles}\\n' orthanc  # the files dpkg asks about",
                           "apt-get install --only-upgrade -o Dpkg::Options::=--force-confold orthanc",
                           f"ls {sh(conf)}/*.dpkg-dist  # new defaults: read them, never copy them over"),
                          stage="after"))
    advice = [text for release, text in ADVICE if parse(answers["orthanc_version"]) < release]
    if advice:
        steps.append(Step(f"Upgrade Orthanc (target is {answers['orthanc_version']})",
                          "Newer releases fix flaws an exposed server must not have: " + "; ".join(advice) + ". "
                          + export_switch(answers) + " " + UPGRADE_RESTARTS,
                          ("Orthanc --version", *(["dpkg -s orthanc | grep '^Version'  # Debian's build: "
                                                   "1.10.1+dfsg-2+deb12u1 or later has the backport"]
                                                  if answers["orthanc_build"] == "debian" else [])),
                          stage="after"))
    return steps


EXPORT = "RestApiWriteToFileSystemEnabled"
UPGRADE_RESTARTS = ("Upgrading the package restarts Orthanc: a few seconds without service, as at the restart step; "
                    "do it when a pause is acceptable.")


def export_switch(answers: Answers) -> str:
    """Which builds honour the switch of REST exports to disk (releases.py: upstream 1.12.0,
    and Debian's backport to 1.10.1), and what this target does with it."""
    since, (backport, _) = releases.SINCE[EXPORT], releases.BACKPORTS[EXPORT]
    target, debian = parse(answers["orthanc_version"]), answers["orthanc_build"] == "debian"
    written = "true" if answers["scripting"]["write_to_filesystem"] else "false"
    said = (f"{EXPORT} (written {written} here) is honoured by upstream Orthanc from {show(since)} and by "
            f"Debian's {show(backport)} package, which backports it; any other build before {show(since)} "
            "ignores it, and POST /instances/../export then writes to the server's disk whatever it says "
            "(the access filter still keeps it to admins).")
    if target >= since:
        return said
    if debian and target == backport:
        return said + f" This target, Debian's {show(target)}, honours it: check the package below."
    return said + f" This target, {'Debian' if debian else 'upstream'} {show(target)}, ignores it."


SOURCES = {"service.storage_dir": "StorageDirectory"}


def read(config: dict) -> Answers:
    return read_pairs(config, SOURCES)


# One rule per release of advisories.ADVISORIES (release_rules.py); the IDs stay with their release.
RELEASE_RULES = release_rules.RULES_BY_RELEASE
RULES = tuple(RELEASE_RULES.values())


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    if facts.target is None or facts.deployment is not None:  # a compose service: said at its image line
        return []
    return release_rules.findings(config, facts)
