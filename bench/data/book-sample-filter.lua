-- The sample filter of the Orthanc Book, "Securing Orthanc" (Sphinx/source/faq/security.rst,
-- section "Securing the HTTP server"), unchanged: the documentation's 2-user example
-- (https://orthanc.uclouvain.be/book/faq/security.html). bench/bench_filter.py compares our
-- generated filter with it.
function IncomingHttpRequestFilter(method, uri, ip, username, httpHeaders)
  if method == 'GET' and (username == 'user' or username == 'admin') then
    -- Read-only access (only GET method is allowed)
    return true
  elseif username == 'admin' and ip == '127.0.0.1' then
    -- Read-write access for administrator (any HTTP method is allowed on localhost)
    return true
  else
    -- Access is disallowed by default
    return false
  end
end
