-- an old filter
function IncomingHttpRequestFilter(method, uri, ip, username, headers)
  return true
end
