"""What each Orthanc release reads: the first release of every top-level option, the options
later releases stopped reading, and the values of enumerated options, release by release.

Sources, read 2026-12-01 (only what is written here was checked):
- SRC: Orthanc's source, GitHub mirror orthanc-mirrors/orthanc (the Mercurial export), at the
  commit that set each release's ORTHANC_VERSION, for all 76 releases from 0.7.0 to 1.13.0
  (1.10.1 = cd3f8783d, 1.12.11 = d1ab360c3, 1.13.0 = b36046cb4).
- CFG: that tree's sample OrthancServer/Resources/Configuration.json (Resources/ before 1.7.2;
  plus AdvancedConfiguration.json in 1.13.0): every top-level key it sets or shows commented out.
  Each option of CFG was also looked for in that release's C++ sources: a release's sources name
  every option of its sample, except the one said below (RejectedSopClasses).
- NEWS: the changelog of the 1.13.0 tree. It names no option before the release given here.
- DEB: `Orthanc --config=FILE` of Debian 12's orthanc 1.10.1+dfsg-2+deb12u1 writes upstream
  1.10.1's sample plus RestApiWriteToFileSystemEnabled (a backport).
Options of plugins are not Orthanc's and are not listed here (see PLUGIN_SECTIONS).
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.orthanc import plugin_sections
from wizard.versions import Version, parse

OLDEST = parse("0.7.0")  # the first release checked: its options may be older still
NEWEST = parse("1.13.0")  # the last release checked: a newer one may know more

# The first release that reads each option (CFG, checked against SRC).
_SINCE: dict[str, tuple[str, ...]] = {
    "0.7.0": ("AuthenticationEnabled", "DicomAet", "DicomCheckCalledAet", "DicomModalities", "DicomPort",
              "HttpPort", "IndexDirectory", "LuaScripts", "MaximumPatientCount", "MaximumStorageSize",
              "Name", "OrthancPeers", "RegisteredUsers", "RemoteAccessAllowed", "SslCertificate",
              "SslEnabled", "StableAge", "StorageCompression", "StorageDirectory", "UserMetadata"),
    "0.7.3": ("DicomServerEnabled", "HttpServerEnabled", "StoreMD5ForAttachments", "StrictAetComparison",
              "UserContentType"),
    "0.8.0": ("LimitFindInstances", "LimitFindResults", "LimitJobs", "Plugins"),
    "0.8.2": ("DefaultEncoding",),
    "0.8.3": ("KeepAlive", "LogExportedResources", "StoreDicom"),
    "0.8.4": ("DeflatedTransferSyntaxAccepted", "Jpeg2000TransferSyntaxAccepted",
              "JpegLosslessTransferSyntaxAccepted", "JpegTransferSyntaxAccepted",
              "JpipTransferSyntaxAccepted", "Mpeg2TransferSyntaxAccepted", "RleTransferSyntaxAccepted"),
    "0.8.6": ("DicomAssociationCloseDelay", "HttpProxy"),
    "0.9.0": ("CaseSensitivePN", "QueryRetrieveSize"),
    "0.9.4": ("HttpCompressionEnabled", "HttpDescribeErrors", "HttpTimeout", "HttpsCACertificates",
              "HttpsVerifyPeers"),
    "0.9.5": ("Dictionary", "UnknownSopClassAccepted"),
    "1.1.0": ("AllowFindSopClassesInStudy", "Pkcs11"),
    "1.2.0": ("DicomScpTimeout", "DicomScuTimeout", "LoadPrivateDictionary"),
    "1.3.0": ("DicomAlwaysAllowStore", "DicomCheckModalityHost", "Locale"),
    "1.3.1": ("DicomAlwaysAllowEcho",),
    "1.4.0": ("ConcurrentJobs", "JobsHistorySize", "SynchronousCMove"),
    "1.4.2": ("HttpVerbose", "OverwriteInstances"),
    "1.5.0": ("DicomModalitiesInDatabase", "MediaArchiveSize", "OrthancPeersInDatabase"),
    "1.5.1": ("StorageAccessOnFind",),
    "1.5.2": ("TcpNoDelay",),
    "1.5.3": ("SaveJobs",),
    "1.5.4": ("HttpThreadsCount", "MetricsEnabled", "TemporaryDirectory"),
    "1.5.8": ("ExecuteLuaEnabled", "HttpRequestTimeout"),
    "1.6.0": ("DefaultPrivateCreator", "Mpeg4TransferSyntaxAccepted", "StorageCommitmentReportsSize"),
    "1.7.0": ("BuiltinDecoderTranscoderOrder", "DicomLossyTranscodingQuality", "IngestTranscoding",
              "TranscodeDicomProtocol"),
    "1.7.4": ("SslTrustedClientCertificates", "SslVerifyPeers", "SyncStorageArea"),
    "1.8.0": ("WebDavDeleteAllowed", "WebDavEnabled", "WebDavUploadAllowed"),
    "1.8.1": ("DicomEchoChecksFind",),
    "1.8.2": ("DeidentifyLogs", "DeidentifyLogsDicomVersion", "IngestTranscodingOfCompressed",
              "IngestTranscodingOfUncompressed", "MallocArenaMax", "OrthancExplorerEnabled",
              "SslCiphersAccepted", "SslMinimumProtocolVersion"),
    "1.9.0": ("AcceptedTransferSyntaxes", "DicomAlwaysAllowFind", "DicomAlwaysAllowGet",
              "DicomScuPreferredTransferSyntax", "DicomTlsCertificate", "DicomTlsEnabled",
              "DicomTlsPrivateKey", "DicomTlsTrustedCertificates", "H265TransferSyntaxAccepted",
              "MaximumPduLength"),
    "1.9.2": ("CheckRevisions", "DatabaseServerIdentifier"),
    "1.9.3": ("DicomTlsRemoteCertificateRequired",),
    "1.9.4": ("ExternalDictionaries", "SynchronousZipStream"),
    "1.9.7": ("DicomAlwaysAllowMove",),
    "1.10.0": ("DicomAlwaysAllowFindWorklist", "DicomThreadsCount", "MaximumStorageCacheSize",
               "ZipLoaderThreads"),
    "1.11.0": ("ExtraMainDicomTags", "Warnings"),
    "1.11.1": ("LuaHeartBeatPeriod",),
    "1.11.2": ("MaximumStorageMode",),
    "1.11.3": ("JobsEngineThreadsCount", "KeepAliveTimeout"),
    "1.12.0": ("RestApiWriteToFileSystemEnabled",),
    "1.12.4": ("DicomTlsCiphersAccepted", "DicomTlsMinimumProtocolVersion"),
    "1.12.5": ("ReadOnly",),
    # RejectSopClasses is in no sample: 1.12.6 and 1.12.7 read that spelling while their
    # sample shows RejectedSopClasses, which SRC reads from 1.12.8 (NEWS 1.12.8: synonyms).
    "1.12.6": ("AcceptedSopClasses", "DicomDefaultRetrieveMethod", "MaximumConcurrentDcmtkTranscoders",
               "RejectSopClasses"),
    "1.12.8": ("RejectedSopClasses",),
    "1.12.10": ("HttpBindAddresses",),
    "1.12.11": ("LoaderThreads", "MaximumFileSizeInArchiveMB", "MaximumRequestBodySizeMB",
                "PatientLevelEnabled", "ZipUseUtf8"),
    "1.13.0": ("DicomParserCacheSize", "DicomParserMemoryCapacity", "DicomParserThreadsCount",
               "SequentialDicomReaderThreadsCount", "SequentialDicomReaderWindowCapacity",
               "SequentialDicomReaderWindowSize", "StorageLoaderThreadsCount", "StorageMemoryCapacity",
               "TranscoderCacheSize", "TranscoderMemoryCapacity", "TranscoderThreadsCount"),
}
SINCE: dict[str, Version] = {option: parse(release) for release, options in _SINCE.items() for option in options}

# Options no longer read, by the first release that ignores them (SRC has no trace of them there).
GONE: dict[str, Version] = {
    "LimitJobs": parse("1.4.0"),  # NEWS 1.10.1: unused since the job engine of 1.4.0
    "AllowFindSopClassesInStudy": parse("1.5.1"),  # NEWS 1.5.1: "Removal of ..."
}

# Releases that read an option before upstream did, as packaged by Debian (DEB).
BACKPORTS: dict[str, tuple[Version, str]] = {
    "RestApiWriteToFileSystemEnabled": (parse("1.10.1"), "Debian 12's 1.10.1 backports it, for CVE-2023-33466"),
}

HINTS = {"RejectedSopClasses": "1.12.6 and 1.12.7 read it spelled RejectSopClasses"}


@dataclass(frozen=True)
class Enumeration:
    """The string values of an option, each with the first release that takes it; any other
    string makes startup fail (SRC: the parser throws, and nothing catches it)."""

    values: dict[str, Version]
    also: str  # what else the option takes, in words ("" for nothing)
    read_unless: tuple[str, bool] | None = None  # (option, value) under which it is not read


ENUMERATIONS: dict[str, Enumeration] = {
    # StringToDicomVersion in Enumerations.cpp; read only while DeidentifyLogs is true (its
    # default), ServerContext.cpp. Measured on 1.10.1: "2023b" stops it ("Parameter out of range").
    "DeidentifyLogsDicomVersion": Enumeration(
        {"2008": parse("1.8.2"), "2017c": parse("1.8.2"), "2021b": parse("1.9.4"), "2023b": parse("1.12.1")},
        "", ("DeidentifyLogs", False)),
    # Before 1.13.0 GetBooleanParameter throws on a string ("must be a Boolean"), main.cpp;
    # 1.13.0: StringToOverwriteInstancesMode, ServerEnumerations.cpp (NEWS 1.13.0).
    "OverwriteInstances": Enumeration(
        {"Never": parse("1.13.0"), "Always": parse("1.13.0"), "IfChanged": parse("1.13.0")}, "true or false"),
}

# Top-level sections and options of the official plugins, never Orthanc's own (plugin_sections.py).
PLUGIN_SECTIONS = frozenset(plugin_sections.SECTIONS)


def knows(option: str, release: Version) -> bool:
    """Whether `release` reads the top-level option (an unknown option: False)."""
    since = SINCE.get(option)
    if since is None:
        return False
    backport = BACKPORTS.get(option)
    if backport is not None and backport[0] == release:
        return True
    return (since <= release or since == OLDEST) and not (option in GONE and GONE[option] <= release)


def of_a_plugin(key: str) -> bool:
    return plugin_sections.section_of(key) is not None


# Remote access, authentication on and no registered user (reference §1f, main.cpp StartHttpServer;
# measured on 1.10.1, 1.12.7 and 1.13.0: tests/integration/test_credentials_real_orthanc.py).
EMPTY_USERS_LOGIN_UNTIL = parse("1.12.8")  # `"RegisteredUsers": {}` creates orthanc:orthanc up to it
ABSENT_USERS_LOGIN_UNTIL = parse("1.12.11")  # no RegisteredUsers key: orthanc:orthanc up to it
ABSENT_USERS_REFUSED_SINCE = parse("1.13.0")  # no RegisteredUsers key: Orthanc refuses to start


def without_users(release: Version | None, key_present: bool) -> str:
    """What `release` does with remote access, authentication on and no user: 'login' (it
    creates orthanc:orthanc), 'nobody' (it starts and refuses every login) or 'refuses' (it does
    not start). None, the release unknown: what the oldest releases do, 'login'."""
    if release is None:
        return "login"
    if key_present:
        return "login" if release <= EMPTY_USERS_LOGIN_UNTIL else "nobody"
    return "login" if release <= ABSENT_USERS_LOGIN_UNTIL else "refuses"
