-- POST /pcustomers with a unique phone per request; counts answers by status.
-- Phones: 09<first prefix + thread id><7-digit counter>, so they never meet the seeded ones
-- (090, 091) nor another scenario's.
-- Args: <mode>: "server", "server-key" (each request with an Idempotency-Key of its own), or
-- "baseline" to GET <baseline path> instead (nginx cannot answer POST with a static file);
-- <baseline path>; <first prefix> (default 2)

local here = debug.getinfo(1, "S").source:match("^@(.*)/") or "."
local common = dofile(here .. "/status_counts.lua")
setup = common.setup
response = common.response
done = common.done

function init(args)
  common.init()
  -- wrk.format leaves out wrk.headers (-H, e.g. Authorization) when given headers of its own.
  json_headers = { ["Content-Type"] = "application/json" }
  for name, value in pairs(wrk.headers) do json_headers[name] = value end
  baseline = args[1] == "baseline"
  with_key = args[1] == "server-key"
  baseline_request = wrk.format("GET", args[2] or "/post.json")
  first_prefix = tonumber(args[3] or "2")
  counter = 0
  assert(first_prefix + tid <= 9, "phones use prefixes up to 099")
end

function request()
  if baseline then return baseline_request end
  counter = counter + 1
  local phone = string.format("09%d%07d", first_prefix + tid, counter)
  if with_key then json_headers["Idempotency-Key"] = "bench-" .. tid .. "-" .. counter end
  return wrk.format("POST", "/pcustomers", json_headers,
    '{"fullName":"Nguyễn Văn An","phone":"' .. phone .. '","age":' .. (18 + counter % 73) ..
    ',"productCode":"household_tool"}')
end
