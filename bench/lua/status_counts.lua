-- Shared by post.lua and patch.lua: counts responses by status in each thread and prints
-- "statuses: 201=N 409=M" when wrk is done. (A response() callback costs wrk some speed, so
-- only the write scenarios use it; both their server and nginx runs do, to stay comparable.)

local M = {}
local threads = {}
local next_tid = 0

function M.setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

function M.init()
  statuses = {}
end

function M.response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function M.done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      total[status] = (total[status] or 0) + n
    end
  end
  local keys = {}
  for status in pairs(total) do keys[#keys + 1] = status end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local parts = {}
  for _, status in ipairs(keys) do parts[#parts + 1] = status .. "=" .. total[status] end
  print("statuses: " .. table.concat(parts, " "))
end

return M
