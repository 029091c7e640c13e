-- POST /pcustomers/batch with 100 new leads per request (mode create), unique phones
-- 09<first prefix + thread id><7-digit counter>; counts answers by status and items created.
-- Args: <first prefix>

local here = debug.getinfo(1, "S").source:match("^@(.*)/") or "."
local common = dofile(here .. "/status_counts.lua")
setup = common.setup
done = common.done

local ITEMS = 100

function init(args)
  common.init()
  json_headers = { ["Content-Type"] = "application/json" }
  for name, value in pairs(wrk.headers) do json_headers[name] = value end
  first_prefix = tonumber(args[1] or "6")
  assert(first_prefix + tid <= 9, "phones use prefixes up to 099")
  counter = 0
end

function request()
  local items = {}
  for k = 1, ITEMS do
    counter = counter + 1
    items[k] = '{"fullName":"Nguyễn Văn An","phone":"' ..
      string.format("09%d%07d", first_prefix + tid, counter) .. '","age":' ..
      (18 + counter % 73) .. ',"productCode":"household_tool"}'
  end
  return wrk.format("POST", "/pcustomers/batch", json_headers,
    '{"items":[' .. table.concat(items, ",") .. '],"mode":"create"}')
end

function response(status, headers, body)
  common.response(status, headers, body)
  local _, created = body:gsub('"status":201', "")
  statuses["items201"] = (statuses["items201"] or 0) + created
end
