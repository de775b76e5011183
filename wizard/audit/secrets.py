"""The secrets of Orthanc's plugins (database, storage, authorization, DICOMweb servers): kept where
other accounts can read them, or left at a sample's value. RegisteredUsers and the peers have rules
of their own (OH-AUTH-002/005, OH-OUT-002); what counts as a secret is secret_spans' one table."""

from __future__ import annotations

from wizard.orthanc.secret_spans import named
from wizard.topics.authentication import WELL_KNOWN
from wizard.topics.base import BOOK, NO_FACTS, Facts, Finding, Rule

READABLE = Rule(
    "OH-SECRET-001", "high", "A plugin's secret in a file others can read",
    "The database's password, the storage's keys, a DICOMweb server's password or an authorization "
    "token lets whoever reads it past Orthanc: into the index and the images themselves (PostgreSQL, "
    "MySQL, S3), or into the other servers. Every local account can read this file.",
    doc=BOOK + "users/configuration.html", needs="files",
    fix="chmod o-r the file (apply --config tightens a file it writes secrets to), or give the secret as "
        "${VAR} from Orthanc's environment")
DEFAULT = Rule(
    "OH-SECRET-002", "high", "A plugin's secret left at a well-known value",
    "A secret copied from a sample (postgres, minioadmin, change-me, orthanc, demo...) is the first one "
    "anybody tries: the database or the storage behind Orthanc opens with it, whatever Orthanc's own "
    "logins are.",
    doc=BOOK + "users/docker-orthancteam.html",
    fix="generate a new secret (openssl rand -base64 24), set it on the database or storage side and here")
RULES = (READABLE, DEFAULT)

# Values from the database and storage images' and plugins' samples, besides the users' well-known ones.
SAMPLES = {"postgres", "postgresql", "pg_password", "pgpassword", "mysql", "mariadb", "root", "example",
           "minioadmin", "miniopassword", "change-me", "changeme", "change_me", "secret", "my-secret",
           "password", "admin", "orthanc", "demo", "test"}


def findings(config: dict, facts: Facts = NO_FACTS) -> list[Finding]:
    found, said = [], set()
    for path, value in named(config):
        where = ".".join(str(part) for part in path)
        if value.lower() in SAMPLES | WELL_KNOWN:
            found.append(DEFAULT.found(path[0], f"{where} is a well-known value from a sample", path=path))
        holder = facts.files.file_of(path) if facts.files is not None else None
        if holder is not None and holder.stat.st_mode & 0o004 and (holder.path, path[0]) not in said:
            said.add((holder.path, path[0]))
            found.append(READABLE.found(path[0], f"{holder.path} holds {where} and every local account can read it",
                                        path=path, current=f"{holder.stat.st_mode & 0o777:04o}", recommended="0640"))
    return found
