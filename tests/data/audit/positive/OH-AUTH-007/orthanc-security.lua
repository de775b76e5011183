-- orthanc-harden's access filter (stand-in)
function IncomingHttpRequestFilter(method, uri, ip, username, headers)
  return true
end
