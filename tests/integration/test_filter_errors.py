"""Each release denies a request whose IncomingHttpRequestFilter raises a Lua error or returns no
boolean (500, the handler never runs): why the generated filter needs no pcall of its own.

Measured 2026-12-07: 1.10.1, 1.12.7 and 1.13.0 answer 500 and log "Cannot execute a Lua command".
"""

from __future__ import annotations

import json

from .http import request
from .orthanc_releases import Release
from .orthanc_server import free_port

# /system raises, /statistics returns nil, /changes indexes nil (a runtime error, not error()),
# /plugins would have been allowed: the filter answers true for every other path.
FILTER = """
function IncomingHttpRequestFilter(method, uri, ip, username, headers)
  if uri == "/system" then error("raised on purpose") end
  if uri == "/statistics" then return nil end
  local nothing = nil
  if uri == "/changes" then return nothing.x end
  return true
end
"""


def raising_filter_config(folder):
    folder.mkdir()
    (folder / "filter.lua").write_text(FILTER)
    (folder / "orthanc.json").write_text(json.dumps({
        "HttpPort": free_port(), "DicomPort": free_port(), "RemoteAccessAllowed": False,
        "AuthenticationEnabled": False, "LuaScripts": ["filter.lua"]}))
    return folder


def test_each_release_denies_a_request_whose_filter_raises_or_returns_no_boolean(tmp_path, start_orthanc,
                                                                               release: Release):
    orthanc = start_orthanc(raising_filter_config(tmp_path / "config"), release, graceful=False)
    statuses = {path: request(orthanc.url, "GET", path)[0] for path in ("/system", "/statistics", "/changes")}
    assert statuses == {"/system": 500, "/statistics": 500, "/changes": 500}, (
        f"Orthanc {release} no longer denies a request whose filter fails: the generated filter "
        f"(wizard/orthanc/lua.py) must catch its own errors again (pcall)\n" + orthanc.log_tail())
    assert request(orthanc.url, "GET", "/plugins")[0] == 200  # the filter runs, and allows the rest
    assert "raised on purpose" in orthanc.log_text()
    assert orthanc.process.poll() is None
