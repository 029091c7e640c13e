-- GET /pcustomers/CUSTOMER%23<id>, rotating over the ids in a file (one number a line).
-- Each thread starts at a different place in the list.
-- Args: <ids file>

local next_tid = 0
function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
end

function init(args)
  requests = {}
  for id in io.lines(args[1]) do
    requests[#requests + 1] = wrk.format("GET", "/pcustomers/CUSTOMER%23" .. id)
  end
  assert(#requests > 0, "no ids in " .. args[1])
  i = (tid * 7919) % #requests
end

function request()
  i = i % #requests + 1
  return requests[i]
end
