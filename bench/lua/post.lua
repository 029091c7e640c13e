-- POST /pcustomers with a unique phone per request; counts answers by status.
-- Phones: 09<2 + thread id><7-digit counter>, so they never meet the seeded ones (090, 091).
-- Args: <mode> where mode is "server", or "baseline" to GET <baseline path> instead (nginx
-- cannot answer POST with a static file), <baseline path>

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
  baseline_request = wrk.format("GET", args[2] or "/post.json")
  counter = 0
  assert(tid <= 7, "at most 8 threads: phones use 092..099 prefixes")
end

function request()
  if baseline then return baseline_request end
  counter = counter + 1
  local phone = string.format("09%d%07d", 2 + tid, counter)
  return wrk.format("POST", "/pcustomers", json_headers,
    '{"fullName":"Nguyễn Văn An","phone":"' .. phone .. '","age":' .. (18 + counter % 73) ..
    ',"productCode":"household_tool"}')
end
