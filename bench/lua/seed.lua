-- Seeds customers: each thread POSTs exactly `quota` customers with unique phones, writes the
-- ids it gets back to <out>.<tid>, then creates <out>.<tid>.done and stops. Once its quota is
-- sent, a thread asks for /healthz (cheap) until every POST has its answer.
-- Args: <total customers> <out path prefix> <thread count>
-- Phones: 090xxxxxxx for thread 0, 091xxxxxxx for thread 1, ...

local threads = {}
local next_tid = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

function init(args)
  local total = tonumber(args[1])
  local nthreads = tonumber(args[3])
  quota = math.floor(total / nthreads)
  if tid < total % nthreads then quota = quota + 1 end
  out_prefix = args[2] .. "." .. tid
  ids = io.open(out_prefix, "w")
  sent, answered, created, failed = 0, 0, 0, 0
  finished = false
  health = wrk.format("GET", "/healthz")
  -- wrk.format leaves out wrk.headers (-H, e.g. Authorization) when given headers of its own.
  post_headers = { ["Content-Type"] = "application/json" }
  for name, value in pairs(wrk.headers) do post_headers[name] = value end
  -- wrk 4 calls request() once on the first thread's state right after init() to inspect the
  -- request (script_verify_request); that one is never sent, so it must not use up the quota.
  inspected = tid ~= 0
end

function request()
  if not inspected then
    inspected = true
    return health
  end
  if sent >= quota then return health end
  local phone = string.format("09%d%07d", tid, sent)
  sent = sent + 1
  return wrk.format("POST", "/pcustomers", post_headers,
    '{"fullName":"Nguyễn Văn An","phone":"' .. phone .. '","age":' .. (18 + sent % 73) ..
    ',"productCode":"household_tool"}')
end

function response(status, headers, body)
  if status == 200 then return end -- /healthz
  answered = answered + 1
  if status == 201 then
    local id = body:match('"id":"CUSTOMER#(%d+)"')
    if id then ids:write(id, "\n") end
    created = created + 1
  else
    failed = failed + 1
    if failed <= 3 then io.stderr:write("seed: status ", status, ": ", body, "\n") end
  end
  if answered >= quota and not finished then
    finished = true
    ids:close()
    local marker = io.open(out_prefix .. ".done", "w")
    marker:write(created, " ", failed, "\n")
    marker:close()
    wrk.thread:stop()
  end
end
