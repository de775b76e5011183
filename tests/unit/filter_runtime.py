"""The generated filter in Lua 5.3 (lupa) as Orthanc loads it: Orthanc's GetOrthancConfiguration gives
the filter the proxy's secret of the policy (its OrthancHardenProxySecret)."""

from __future__ import annotations

import lupa.lua53 as lua53

from wizard.orthanc.lua import lua_string, render_lua
from wizard.orthanc.policy import PROXY_HEADER, Policy
from wizard.orthanc.proxy_secret import OPTION

SECRET = "Pr0xySecretOfTheTests123"


def runtime(policy: Policy) -> lua53.LuaRuntime:
    """A fresh Lua 5.3 with Orthanc's GetOrthancConfiguration, the filter of `policy` loaded."""
    lua = lua53.LuaRuntime(unpack_returned_tuples=True)
    if policy.proxy_secret is not None:
        lua.execute(f"function GetOrthancConfiguration() return {{ [{lua_string(OPTION)}] = "
                    f"{lua_string(policy.proxy_secret)} }} end")
    lua.execute(render_lua(policy))
    return lua


def through_proxy(headers: dict | None = None, secret: str = SECRET) -> dict:
    """Headers as the proxy passes them: the client's, and the proxy's secret."""
    return {**(headers or {}), PROXY_HEADER: secret}
