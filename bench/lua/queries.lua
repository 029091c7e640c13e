-- GET <path> for each line of a file (a path, with its query string if any), rotating; each
-- thread starts at a different line. The callers count non-2xx answers from wrk's summary.
-- Args: <paths file>

local next_tid = 0
function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
end

function init(args)
  requests = {}
  for path in io.lines(args[1]) do
    requests[#requests + 1] = wrk.format("GET", path)
  end
  assert(#requests > 0, "no paths in " .. args[1])
  i = (tid * 7919) % #requests
end

function request()
  i = i % #requests + 1
  return requests[i]
end
