-- PATCH /pcustomers/CUSTOMER%23<id> with {"age":18..90} and If-Match of the version each
-- lead's last answer gave (If-Match: * before the first one), rotating over the ids in a file
-- that each thread takes every other of, so that two requests of a thread never race on one
-- lead; counts answers by status (a 412 would mean a lost version).
-- Args: <ids file>

local here = debug.getinfo(1, "S").source:match("^@(.*)/") or "."
local common = dofile(here .. "/status_counts.lua")
setup = common.setup
done = common.done

function init(args)
  common.init()
  json_headers = { ["Content-Type"] = "application/json" }
  for name, value in pairs(wrk.headers) do json_headers[name] = value end
  ids = {}
  local n = 0
  for id in io.lines(args[1]) do
    n = n + 1
    if n % 2 == tid % 2 then ids[#ids + 1] = id end
  end
  assert(#ids > 0, "no ids in " .. args[1])
  versions = {}
  i = 0
  counter = 0
end

function request()
  i = i % #ids + 1
  counter = counter + 1
  local id = ids[i]
  json_headers["If-Match"] = versions[id] or "*"
  return wrk.format("PATCH", "/pcustomers/CUSTOMER%23" .. id, json_headers,
    '{"age":' .. (18 + counter % 73) .. '}')
end

function response(status, headers, body)
  common.response(status, headers, body)
  local id, version = body:match('"id":"CUSTOMER#(%d+)".-"version":(%d+)')
  if id then versions[id] = '"' .. version .. '"' end
end
