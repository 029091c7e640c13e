-- PATCH /pcustomers/CUSTOMER%23<id> with {"age":18..90}, rotating over the ids in a file;
-- counts answers by status.
-- Args: <mode> ("server", or "baseline" to GET <baseline path> instead), <baseline path>,
-- <ids file>

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
  baseline_request = wrk.format("GET", args[2] or "/patch.json")
  ids = {}
  for id in io.lines(args[3]) do ids[#ids + 1] = id end
  assert(#ids > 0, "no ids in " .. args[3])
  i = (tid * 7919) % #ids
  counter = 0
end

function request()
  if baseline then return baseline_request end
  i = i % #ids + 1
  counter = counter + 1
  return wrk.format("PATCH", "/pcustomers/CUSTOMER%23" .. ids[i],
    json_headers, '{"age":' .. (18 + counter % 73) .. '}')
end
