"""The checklist steps that put a run's files into the configuration folder (new, copies, in place)."""

from __future__ import annotations

from wizard.topics.base import Answers, Step, sh, written_to

LUA = "orthanc-security.lua"
STAMP = "stamp=$(date +%Y%m%dT%H%M%S)"
# Our orthanc.json is written with two spaces of indent: its top-level keys are exactly these lines.
OUR_KEYS = """keys=$(sed -n 's/^  "\\([A-Za-z0-9]*\\)": .*/\\1/p' {} | paste -sd '|' -)"""
UNTIL_RESTART = ("The running Orthanc keeps the configuration it started with until the restart step below: "
                 "no service is interrupted here.")
SECRETS = "RegisteredUsers holds passwords in plain text: any local account that can read the files can log in as those users."


def steps(answers: Answers) -> list[Step]:
    """One step per kind of run: the checklist keeps the one of its run."""
    return [new(answers), copies(answers), in_place(answers)]


def _modes(conf: str, group: str) -> str:
    return (f"chown root:{group} {sh(conf)}/*.json {sh(conf)}/*.lua && "
            f"chmod 0640 {sh(conf)}/*.json {sh(conf)}/*.lua")


def new(answers: Answers) -> Step:
    """A new orthanc.json beside what the folder holds: Debian's credentials.json also defines
    RegisteredUsers, and Orthanc refuses to start on a key defined in two of its files."""
    service = answers["service"]
    conf, group, plugins = service["config_dir"], service["group"], service["plugins"]
    out = written_to(answers)
    aside = (f"find {sh(conf)} -maxdepth 1 -iname '*.json' ! -type d \\( -name orthanc.json -o -exec grep -qE "
             f"\"^[[:space:]]*\\\"($keys)\\\"[[:space:]]*:\" {{}} \\; \\) "
             f"-exec mv -v {{}} {{}}.orthanc-harden-\"$stamp\".bak \\;  # Debian's orthanc.json and credentials.json")
    found = [f"ls -d {' '.join(sh(path) for path in plugins)}  # what Plugins loads: a missing folder only "
             "loses its plugins, a missing library stops Orthanc 1.12.7; else set service.plugins"] if plugins else []
    return Step(
        f"Put the files in {conf}, readable by root and {group} only",
        f"{SECRETS} Orthanc reads every *.json of {conf} and refuses to start when two of them define the same "
        "key: Debian's credentials.json defines RegisteredUsers, as this orthanc.json does. On a Debian host, "
        f"editing Debian's own files is usually better: `orthanc-harden --config {conf}` keeps credentials.json, "
        "the comments and the conffiles dpkg knows, changes only what it must and backs it up. To install this "
        f"new configuration from {out} instead: these commands rename the orthanc.json of {conf} and every "
        "other *.json defining one of its keys to NAME.orthanc-harden-DATE.bak, which Orthanc does not read "
        "and dpkg does not put back on upgrades; the plugins' own files (worklists.json, serve-folders.json) "
        "stay. " + UNTIL_RESTART,
        (f"install -d -o root -g {group} -m 0750 {sh(conf)}", *found,
         f"{STAMP}; {OUR_KEYS.format(sh(out + '/orthanc.json'))}  # the keys of the new orthanc.json", aside,
         f"install -o root -g {group} -m 0640 {sh(out + '/orthanc.json')} {sh(out + '/' + LUA)} {sh(conf)}/",
         _modes(conf, group)),
        runs=("new",))


def copies(answers: Answers) -> Step:
    """Edited copies of a whole configuration: each replaces its original, none is left out."""
    service = answers["service"]
    conf, group, out = service["config_dir"], service["group"], written_to(answers)
    keep = (f'for f in *.json {LUA}; do [ ! -e {sh(conf)}/"$f" ] || '
            f'cp -a {sh(conf)}/"$f" {sh(conf)}/"$f.orthanc-harden-$stamp.bak"; done  # the originals, kept')
    return Step(
        f"Put the edited files in {conf}, readable by root and {group} only",
        f"{SECRETS} These are edited copies of every configuration file read from {conf}: install all of them "
        f"(from {out}, where they were written), or a key could end up defined in two files, which stops Orthanc. "
        "Each original is kept beside it as NAME.orthanc-harden-DATE.bak, which Orthanc does not read. "
        + UNTIL_RESTART,
        (STAMP, f"cd {sh(out)}  # where the edited copies were written", keep,
         f"install -o root -g {group} -m 0640 *.json {LUA} {sh(conf)}/", _modes(conf, group)),
        runs=("copies",))


def in_place(answers: Answers) -> Step:
    """The files were edited where they are: only their owners and modes are left to do."""
    service = answers["service"]
    conf, group = service["config_dir"], service["group"]
    return Step(
        f"Keep the files in {conf} readable by root and {group} only",
        f"{SECRETS} The edit kept each file's owner and mode (a file that got passwords lost the other "
        f"accounts' read access); this gives every *.json and *.lua of {conf} to root and {group}, mode 0640. "
        + UNTIL_RESTART,
        (_modes(conf, group),),
        runs=("in place",))
