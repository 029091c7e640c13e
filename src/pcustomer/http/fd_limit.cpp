#include <sys/resource.h>

#include <algorithm>

#include "pcustomer/http/server.hpp"

namespace pcustomer {

FdBudget RaiseFdLimit(size_t configured_max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    // An unlimited hard limit is refused by the kernel above fs.nr_open; a million is plenty.
    if (raised.rlim_cur == RLIM_INFINITY) raised.rlim_cur = 1 << 20;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  FdBudget budget;
  budget.limit =
      limit.rlim_cur == RLIM_INFINITY ? size_t{1} << 20 : static_cast<size_t>(limit.rlim_cur);
  // Kept back from connections: SQLite's files per reader connection, the AWS client's
  // pooled connections, key files, logs. Half of a tiny limit, at most 128.
  size_t reserve = std::min<size_t>(128, budget.limit / 2);
  budget.max_connections = std::min(configured_max_connections, budget.limit - reserve);
  return budget;
}

}  // namespace pcustomer
